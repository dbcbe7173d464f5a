package io.custos.agent.ship;

import java.io.IOException;

/**
 * Delivers one encoded report to the collector. The spool decides what a reply means, so tests of
 * the spool need no network.
 */
public interface ReportSender {
  /**
   * POSTs one report.
   *
   * @param json the report as UTF-8 JSON, uncompressed
   * @return the collector's HTTP status and body
   * @throws IOException when the collector cannot be reached or does not answer in time
   */
  Reply send(byte[] json) throws IOException;

  /**
   * The collector's answer.
   *
   * @param status HTTP status code
   * @param body response body as text, possibly empty
   */
  record Reply(int status, String body) {
    public Reply {
      body = body == null ? "" : body;
    }
  }
}
