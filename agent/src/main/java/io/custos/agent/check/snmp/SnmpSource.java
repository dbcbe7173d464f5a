package io.custos.agent.check.snmp;

import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/**
 * Where the snmp check reads its objects: a device through {@link SnmpClient}, or a captured walk
 * in tests. One source serves one run of the check.
 */
interface SnmpSource extends AutoCloseable {
  /**
   * Reads objects by exact OID, in the order asked. A missing object comes back with its exception
   * value ({@code noSuchObject}, {@code noSuchInstance}), never left out.
   *
   * @throws SnmpException when the device does not answer or refuses the request
   */
  List<VariableBinding> get(List<OID> oids) throws SnmpException;

  /**
   * Every object under {@code root}, in OID order; empty when there is none.
   *
   * @throws SnmpException as {@link #get}
   */
  List<VariableBinding> walk(OID root) throws SnmpException;

  @Override
  void close();

  /**
   * Why a device could not be read, in words for the output.
   *
   * @param unreachable true when no answer came at all (CRITICAL); false when the device answered
   *     with an error or the request could not be made (UNKNOWN)
   */
  final class SnmpException extends Exception {
    private final boolean unreachable;

    SnmpException(String message, boolean unreachable) {
      super(message);
      this.unreachable = unreachable;
    }

    boolean unreachable() {
      return unreachable;
    }
  }
}
