package io.custos.collector.cli;

import io.custos.collector.config.CollectorConfig;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reload [--token-file FILE]}: asks the running collector to reload its configuration
 * through {@code POST /api/v1/reload} on its {@code listen} address, with an admin token from
 * {@code --token-file} or the {@code CUSTOS_TOKEN} environment variable. It needs no signal, so it
 * works for a collector started under {@code nohup} (which cannot handle SIGHUP). Plain HTTP only
 * (a TLS listener is reached with curl and its CA). Exit 0 when the request was accepted, 2
 * otherwise; the collector logs whether the file was valid.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description = "Ask the running collector to reload its configuration (no signal needed).",
    footer = {"", CollectorMain.EXIT_CODES})
final class ReloadCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding an admin token (default: the CUSTOS_TOKEN variable).")
  Path tokenFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CollectorConfig c;
    try {
      c = config.load();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return CollectorMain.FAILURE;
    }
    if (c.tls() != null) {
      err.println(
          "custos-collector reload: the collector listens with TLS; use curl --cacert ... -X POST"
              + " -H 'Authorization: Bearer <admin token>' https://"
              + c.listen()
              + "/api/v1/reload");
      return CollectorMain.FAILURE;
    }
    String token;
    try {
      token =
          tokenFile != null
              ? Files.readString(tokenFile).strip()
              : System.getenv().getOrDefault("CUSTOS_TOKEN", "").strip();
    } catch (IOException e) {
      err.println("custos-collector reload: --token-file " + tokenFile + ": " + e.getMessage());
      return CollectorMain.FAILURE;
    }
    if (token.isEmpty()) {
      err.println(
          "custos-collector reload: an admin token is needed: --token-file or CUSTOS_TOKEN");
      return CollectorMain.USAGE;
    }
    String host = c.listenHost().contains(":") ? "[" + c.listenHost() + "]" : c.listenHost();
    URI uri = URI.create("http://" + host + ":" + c.listenPort() + "/api/v1/reload");
    try {
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(uri)
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", "Bearer " + token)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 202) {
        out.println("custos-collector reload: requested from " + uri + "; see the collector's log");
        return CollectorMain.OK;
      }
      err.println(
          "custos-collector reload: " + uri + " answered " + r.statusCode() + ": " + r.body());
      return CollectorMain.FAILURE;
    } catch (IOException e) {
      err.println("custos-collector reload: cannot reach " + uri + ": " + e.getMessage());
      return CollectorMain.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CollectorMain.FAILURE;
    }
  }
}
