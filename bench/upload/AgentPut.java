import io.custos.agent.ship.ArchiveClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upload with the agent's own uploader ({@link ArchiveClient#put}, as the daemon's Uploader
 * calls it), for bench/upload.sh: {@code java -cp 'LIB/*' AgentPut.java COLLECTOR TOKEN NODE
 * OBJECT FILE SHA256|- NAME:VALUE...}. Prints the status and the seconds taken. With a sha256 the
 * file is read once, as the daemon sends an archive with the sha256 its manifest recorded; with
 * {@code -} the client first reads the file once more to compute it.
 */
public class AgentPut {
  public static void main(String[] args) throws Exception {
    Map<String, String> index = new LinkedHashMap<>();
    for (int i = 6; i < args.length; i++) {
      int c = args[i].indexOf(':');
      index.put(args[i].substring(0, c).strip(), args[i].substring(c + 1).strip());
    }
    ArchiveClient client = new ArchiveClient(URI.create(args[0]), args[1], "custos-bench", null);
    long t0 = System.nanoTime();
    client.put(args[2], args[3], Path.of(args[4]), index, "-".equals(args[5]) ? null : args[5]);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("201 %.3f%n", s);
  }
}
