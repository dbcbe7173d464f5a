package io.custos.agent.check;

import io.custos.agent.check.fs.FilesystemCheck;
import io.custos.agent.check.fs.FilesystemConfig;
import io.custos.agent.check.host.CpuCheck;
import io.custos.agent.check.host.CpuConfig;
import io.custos.agent.check.host.DiskIoCheck;
import io.custos.agent.check.host.DiskIoConfig;
import io.custos.agent.check.host.LoadCheck;
import io.custos.agent.check.host.LoadConfig;
import io.custos.agent.check.host.MemoryCheck;
import io.custos.agent.check.host.MemoryConfig;
import io.custos.agent.check.host.ProcessCheck;
import io.custos.agent.check.host.ProcessConfig;
import io.custos.agent.check.host.SystemdCheck;
import io.custos.agent.check.host.SystemdConfig;
import io.custos.agent.check.host.UsersCheck;
import io.custos.agent.check.host.UsersConfig;
import io.custos.agent.check.ipmi.IpmiCheck;
import io.custos.agent.check.ipmi.IpmiConfig;
import io.custos.agent.check.libvirt.LibvirtCheck;
import io.custos.agent.check.libvirt.LibvirtConfig;
import io.custos.agent.check.net.BondCheck;
import io.custos.agent.check.net.BondConfig;
import io.custos.agent.check.net.NetworkCheck;
import io.custos.agent.check.net.NetworkConfig;
import io.custos.agent.check.net.NicCheck;
import io.custos.agent.check.net.NicConfig;
import io.custos.agent.check.plugin.CommandCheck;
import io.custos.agent.check.plugin.CommandConfig;
import io.custos.agent.check.raid.RaidCheck;
import io.custos.agent.check.raid.RaidConfig;
import io.custos.agent.check.remote.HttpCheck;
import io.custos.agent.check.remote.HttpConfig;
import io.custos.agent.check.remote.PingCheck;
import io.custos.agent.check.remote.PingConfig;
import io.custos.agent.check.remote.SshCheck;
import io.custos.agent.check.remote.SshConfig;
import io.custos.agent.check.remote.TcpCheck;
import io.custos.agent.check.remote.TcpConfig;
import io.custos.agent.check.sensors.FansCheck;
import io.custos.agent.check.sensors.FansConfig;
import io.custos.agent.check.sensors.TemperatureCheck;
import io.custos.agent.check.sensors.TemperatureConfig;
import io.custos.agent.check.sensors.VoltageCheck;
import io.custos.agent.check.sensors.VoltageConfig;
import io.custos.agent.check.smart.SmartCheck;
import io.custos.agent.check.smart.SmartConfig;
import io.custos.agent.check.snmp.SnmpCheck;
import io.custos.agent.check.snmp.SnmpConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one list of check kinds: for each {@code type}, its config record, its default configuration
 * and how to build the check. Adding a kind means adding one line here.
 */
public final class CheckRegistry {
  // defaults is null for kinds that are not in the default set (they need configuring).
  // factory takes the entry's shared keys and the runner through which the check starts
  // programs; most kinds need neither.
  private record Kind<C extends CheckKind>(
      Class<C> config, Supplier<C> defaults, Factory<C> factory) {

    Check create(CheckConfig c, CommandRunner runner) {
      return factory.create(config.cast(c.kind()), c.schedule(), runner);
    }
  }

  /** Builds a kind's check from its record, the entry's shared keys and a command runner. */
  @FunctionalInterface
  private interface Factory<C> {
    Check create(C config, Schedule schedule, CommandRunner runner);
  }

  // Insertion order is the order of the default check set and of error messages.
  private static final Map<String, Kind<?>> KINDS =
      orderedMap(
          "filesystem",
          timed(FilesystemConfig.class, FilesystemConfig::defaults, FilesystemCheck::new),
          "load",
          kind(LoadConfig.class, LoadConfig::defaults, LoadCheck::new),
          "memory",
          kind(MemoryConfig.class, MemoryConfig::defaults, MemoryCheck::new),
          "raid",
          kind(RaidConfig.class, RaidConfig::defaults, RaidCheck::new),
          "cpu",
          kind(CpuConfig.class, CpuConfig::defaults, CpuCheck::new),
          "diskio",
          kind(DiskIoConfig.class, null, DiskIoCheck::new),
          "network",
          kind(NetworkConfig.class, null, NetworkCheck::new),
          "nic",
          kind(NicConfig.class, null, NicCheck::new),
          "bond",
          kind(BondConfig.class, null, BondCheck::new),
          "temperature",
          kind(TemperatureConfig.class, null, TemperatureCheck::new),
          "fans",
          kind(FansConfig.class, null, FansCheck::new),
          "voltage",
          kind(VoltageConfig.class, null, VoltageCheck::new),
          "ipmi",
          new Kind<>(IpmiConfig.class, null, IpmiCheck::new),
          "smart",
          new Kind<>(SmartConfig.class, null, SmartCheck::new),
          "libvirt",
          new Kind<>(LibvirtConfig.class, null, LibvirtCheck::new),
          "process",
          kind(ProcessConfig.class, null, ProcessCheck::new),
          "systemd",
          new Kind<>(SystemdConfig.class, null, SystemdCheck::new),
          "users",
          new Kind<>(UsersConfig.class, null, UsersCheck::new),
          "ping",
          timed(PingConfig.class, null, PingCheck::new),
          "tcp",
          timed(TcpConfig.class, null, TcpCheck::new),
          "http",
          timed(HttpConfig.class, null, HttpCheck::new),
          "https",
          timed(HttpConfig.class, null, HttpCheck::new),
          "ssh",
          timed(SshConfig.class, null, SshCheck::new),
          "snmp",
          kind(SnmpConfig.class, null, SnmpCheck::new),
          "command",
          new Kind<>(CommandConfig.class, null, CommandCheck::new));

  // Kinds that yield one service per disk and have never taken the shared name key.
  private static final Set<String> WITHOUT_NAME = Set.of("smart");

  private CheckRegistry() {}

  /**
   * The shared keys ({@code name}, {@code interval}, {@code timeout}, {@code for}, {@code times},
   * {@code within}) an entry of {@code type} accepts; {@code smart} has no {@code name}.
   */
  static List<String> sharedKeys(String type) {
    return WITHOUT_NAME.contains(type)
        ? CheckConfigDeserializer.SHARED_KEYS.subList(1, CheckConfigDeserializer.SHARED_KEYS.size())
        : CheckConfigDeserializer.SHARED_KEYS;
  }

  /** A kind whose check needs only its record. */
  private static <C extends CheckKind> Kind<C> kind(
      Class<C> config, Supplier<C> defaults, Function<C, Check> factory) {
    return new Kind<>(config, defaults, (c, schedule, runner) -> factory.apply(c));
  }

  /**
   * A kind whose check also needs the shared keys (its timeout, its name), but starts no programs.
   */
  private static <C extends CheckKind> Kind<C> timed(
      Class<C> config, Supplier<C> defaults, BiFunction<C, Schedule, Check> factory) {
    return new Kind<>(config, defaults, (c, schedule, runner) -> factory.apply(c, schedule));
  }

  /** The known {@code type} names, in registry order. */
  public static List<String> types() {
    return List.copyOf(KINDS.keySet());
  }

  /** The config record bound for {@code type}, or null when the type is unknown. */
  static Class<? extends CheckKind> configType(String type) {
    Kind<?> kind = KINDS.get(type);
    return kind == null ? null : kind.config();
  }

  /**
   * The checks that run when the configuration has no {@code checks} key: every kind that needs
   * nothing configured and makes sense on any machine.
   */
  public static List<CheckConfig> defaults() {
    return KINDS.values().stream()
        .filter(k -> k.defaults() != null)
        .map(k -> CheckConfig.of(k.defaults().get()))
        .toList();
  }

  /**
   * Builds the check for a configuration.
   *
   * @throws IllegalArgumentException when the configuration's type is not registered
   */
  public static Check create(CheckConfig config) {
    return create(config, CommandRunner.SYSTEM);
  }

  /**
   * Builds the check for a configuration; checks that run programs ({@code ipmi}, {@code smart},
   * {@code libvirt}, {@code systemd}, {@code users}, {@code command}) start them through {@code
   * runner}.
   *
   * @throws IllegalArgumentException when the configuration's type is not registered
   */
  public static Check create(CheckConfig config, CommandRunner runner) {
    Kind<?> kind = KINDS.get(config.type());
    if (kind == null) {
      throw new IllegalArgumentException("unknown check type \"" + config.type() + "\"");
    }
    return kind.create(config, runner);
  }

  /** Builds the checks for a list of configurations, in order. */
  public static List<Check> createAll(List<CheckConfig> configs) {
    return configs.stream().map(CheckRegistry::create).toList();
  }

  private static Map<String, Kind<?>> orderedMap(Object... pairs) {
    var map = new java.util.LinkedHashMap<String, Kind<?>>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Kind<?>) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
