package io.custos.collector.store;

import io.custos.common.wire.Report;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: {@code cst_<role>_} followed by 32 random bytes in unpadded base64url. The prefix
 * lets an operator (or a secret scanner) tell a leaked Custos token and its power at a glance. Only
 * the SHA-256 of a token is stored, so a copy of the database does not grant access; a plain hash
 * suffices because the token has 256 bits of entropy.
 */
public final class Tokens {
  private final SecureRandom random;

  public Tokens(SecureRandom random) {
    this.random = random;
  }

  public Tokens() {
    this(new SecureRandom());
  }

  /** A new random token for {@code role}; nothing is stored. */
  public String generate(Role role) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "cst_" + role.id() + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Creates a token, stores its hash and returns the token itself, which is never seen again.
   *
   * @param node required for {@link Role#NODE}, must be null otherwise
   * @throws IllegalArgumentException for a bad node name or a node given with another role
   */
  public String issue(Store store, Role role, String node) {
    if (node != null) {
      Report.requireNodeName(node);
    }
    new TokenOwner(role, node);
    String token = generate(role);
    store.addToken(hash(token), role, node);
    return token;
  }

  /** Lower-case hex SHA-256 of the token's UTF-8 bytes, as stored. */
  public static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
