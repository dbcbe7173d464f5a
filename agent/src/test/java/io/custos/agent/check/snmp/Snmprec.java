package io.custos.agent.check.snmp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A captured walk in snmpsim's {@code .snmprec} format ({@code OID|tag|value}) served as an {@link
 * SnmpSource}; tests may change values between runs, as a device's counters move.
 */
final class Snmprec implements SnmpSource {
  final TreeMap<OID, Variable> values = new TreeMap<>();

  static Snmprec load(String name) throws IOException {
    try (InputStream in = Snmprec.class.getResourceAsStream("/snmp/" + name)) {
      if (in == null) {
        throw new IOException("no fixture /snmp/" + name);
      }
      Snmprec s = new Snmprec();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          String[] f = line.split("\\|", 3);
          s.values.put(new OID(f[0]), parse(f[1], f[2]));
        }
      }
      return s;
    }
  }

  private static Variable parse(String tag, String value) {
    return switch (tag) {
      case "2" -> new Integer32(Integer.parseInt(value));
      case "4" -> new OctetString(value);
      case "4x" -> new OctetString(java.util.HexFormat.of().parseHex(value));
      case "6" -> new OID(value);
      case "64" -> new IpAddress(value);
      case "65" -> new Counter32(Long.parseLong(value));
      case "66" -> new Gauge32(Long.parseLong(value));
      case "67" -> new TimeTicks(Long.parseLong(value));
      case "70" -> new Counter64(Long.parseUnsignedLong(value));
      default -> throw new IllegalArgumentException("snmprec tag " + tag);
    };
  }

  void set(String oid, Variable v) {
    values.put(new OID(oid), v);
  }

  @Override
  public List<VariableBinding> get(List<OID> oids) {
    List<VariableBinding> out = new ArrayList<>();
    for (OID o : oids) {
      Variable v = values.get(o);
      out.add(new VariableBinding(o, v != null ? v : Null.noSuchInstance));
    }
    return out;
  }

  @Override
  public List<VariableBinding> walk(OID root) {
    List<VariableBinding> out = new ArrayList<>();
    for (Map.Entry<OID, Variable> e : values.tailMap(root, true).entrySet()) {
      if (!e.getKey().startsWith(root)) {
        break;
      }
      out.add(new VariableBinding(e.getKey(), e.getValue()));
    }
    return out;
  }

  @Override
  public void close() {}
}
