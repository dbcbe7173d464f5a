package io.custos.collector.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.config.CollectorConfig;
import io.custos.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceGroupsTest {
  private static ServiceGroups parse(String yaml) throws ConfigException {
    return new ServiceGroups(
        CollectorConfig.parse("servicegroups: " + yaml + "\n", "collector.yml").servicegroups());
  }

  @Test
  void aServiceBelongsWhenItsHostAndItsNameMatch() throws Exception {
    ServiceGroups g =
        parse(
            "{ web-http: { hosts: ['web*'], services: ['HTTP *', 'URL Status'] },"
                + " disks: { services: ['Disk ?*'] } }");
    assertThat(g.names()).containsExactly("disks", "web-http");
    assertThat(g.of("web01", "HTTP front")).containsExactly("web-http");
    assertThat(g.of("db01", "HTTP front")).isEmpty();
    assertThat(g.of("db01", "Disk /var")).containsExactly("disks");
    assertThat(g.contains("disks", "db01", "Disk ")).isFalse();
    assertThat(g.contains("nope", "db01", "Disk /")).isFalse();
    assertThat(ServiceGroups.none().names()).isEqualTo(List.of());
  }

  @Test
  void badSectionsAreNamedWithTheirKey() {
    assertThatThrownBy(() -> parse("{ disks: { hosts: ['*'] } }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("servicegroups.disks.services: expected a list");
    assertThatThrownBy(() -> parse("{ 'bad name': { services: [x] } }"))
        .hasMessageContaining("servicegroups: group name must match")
        .hasMessageContaining("\"bad name\"");
    assertThatThrownBy(() -> parse("{ disks: { services: [''] } }"))
        .hasMessageContaining("servicegroups.disks.services: empty pattern");
    assertThatThrownBy(() -> parse("{ disks: { service: [x] } }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("service");
  }
}
