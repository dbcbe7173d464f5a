package io.custos.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceNetworkTest {
  @Test
  void networksHoldTheirAddressesOnly() throws Exception {
    SourceNetwork net = SourceNetwork.parse("10.0.0.0/24");
    assertThat(net.contains(InetAddress.getByName("10.0.0.77"))).isTrue();
    assertThat(net.contains(InetAddress.getByName("10.0.1.1"))).isFalse();
    assertThat(SourceNetwork.parse("192.0.2.7").contains(InetAddress.getByName("192.0.2.8")))
        .isFalse();
    assertThat(SourceNetwork.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8::1")))
        .isTrue();
    assertThat(SourceNetwork.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(SourceNetwork.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
  }

  @Test
  void namesAndBadPrefixesAreRefusedNamingTheText() {
    assertThatThrownBy(() -> SourceNetwork.parse("switch.example.org"))
        .hasMessageContaining("\"switch.example.org\"");
    assertThatThrownBy(() -> SourceNetwork.parse("10.0.0.0/33"))
        .hasMessageContaining("0 to 32")
        .hasMessageContaining("10.0.0.0/33");
  }
}
