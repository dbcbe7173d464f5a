package io.custos.collector.store;

/**
 * Who a token belongs to.
 *
 * @param role what the token may do
 * @param node the node a {@link Role#NODE} token writes for; null for other roles
 */
public record TokenOwner(Role role, String node) {
  public TokenOwner {
    if (role == null) {
      throw new IllegalArgumentException("role must not be null");
    }
    if ((role == Role.NODE) != (node != null)) {
      throw new IllegalArgumentException(
          "a node token needs a node name and only a node token has one; got role "
              + role.id()
              + " and node "
              + node);
    }
  }

  /** How the owner is named in error messages: {@code node token for "web01"}. */
  public String describe() {
    return role == Role.NODE ? "node token for \"" + node + "\"" : role.id() + " token";
  }
}
