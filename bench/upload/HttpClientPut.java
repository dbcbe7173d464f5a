import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * One streaming PUT with Java's HttpClient (the JDK's own client, as a peer of curl -T in
 * bench/upload.sh): {@code java HttpClientPut.java URL FILE NAME:VALUE...}. Prints the status
 * and the seconds taken. The file is streamed by BodyPublishers.ofFile, never read whole.
 */
public class HttpClientPut {
  public static void main(String[] args) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(args[0]))
            .PUT(HttpRequest.BodyPublishers.ofFile(Path.of(args[1])));
    for (int i = 2; i < args.length; i++) {
      int c = args[i].indexOf(':');
      b.header(args[i].substring(0, c).strip(), args[i].substring(c + 1).strip());
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d %.3f%n", r.statusCode(), s);
    if (r.statusCode() / 100 != 2) {
      System.err.println(r.body());
      System.exit(1);
    }
  }
}
