package io.custos.collector.store;

/**
 * A stored token as {@code token list} shows it: never the secret, nor the whole hash.
 *
 * @param id the first {@value #ID_LENGTH} hex digits of the token's SHA-256, enough to name it in
 *     {@code token revoke}
 * @param role what the token may do
 * @param node the node of a {@link Role#NODE} token, else null
 * @param created when it was created, epoch ms
 * @param lastUsed when it last authenticated a request (to the minute), epoch ms; 0 if never
 */
public record TokenRecord(String id, Role role, String node, long created, long lastUsed) {
  /** Hex digits of the hash that make a token's id. */
  public static final int ID_LENGTH = 12;

  /** The id of the token whose hash is {@code sha256Hex}. */
  public static String idOf(String sha256Hex) {
    return sha256Hex.substring(0, Math.min(ID_LENGTH, sha256Hex.length()));
  }
}
