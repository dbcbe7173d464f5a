package io.custos.collector.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address or a CIDR network ({@code 10.0.0.5}, {@code 10.0.0.0/24}, {@code 2001:db8::/32}) a
 * datagram may come from. Only literals: a host name would need a DNS lookup at every check and
 * could be changed by whoever controls that DNS.
 *
 * @param network the network's first address
 * @param prefix the prefix length in bits (32 or 128 for one address)
 */
public record SourceNetwork(InetAddress network, int prefix) {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  /**
   * Parses {@code address} or {@code address/prefix}.
   *
   * @throws IllegalArgumentException naming the text when it is not an IP literal with a prefix
   *     length that fits the address family
   */
  public static SourceNetwork parse(String text) {
    String t = text == null ? "" : text.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (!LITERAL.matcher(addr).matches() || (!addr.contains(":") && !addr.contains("."))) {
      throw new IllegalArgumentException(
          "expected an IP address or network such as 10.0.0.5 or 10.0.0.0/24, got \""
              + text
              + "\"");
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(addr); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "expected an IP address or network such as 10.0.0.5 or 10.0.0.0/24, got \""
              + text
              + "\"");
    }
    int bits = a.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "expected a prefix length from 0 to " + bits + " after \"/\", got \"" + text + "\"");
      }
    }
    return new SourceNetwork(mask(a, prefix), prefix);
  }

  /** Whether {@code address} lies in this network (an IPv4 address never lies in an IPv6 one). */
  public boolean contains(InetAddress address) {
    return address.getAddress().length == network.getAddress().length
        && mask(address, prefix).equals(network);
  }

  private static InetAddress mask(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a wrong length
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
