package io.custos.collector.alert;

import io.custos.collector.config.RuleSection;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Central rules over metrics ({@code rules:}): from the latest values of a report, one result per
 * (host, rule) for the synthetic service named after the rule, which then goes through the {@link
 * StateMachine} like any check. When several series of a host match (several mounts), the worst
 * counts. A condition must hold for the rule's {@code for:} before it counts; until then the result
 * is OK ("pending"). The start of a pending condition is not kept here but passed in and handed
 * back ({@link AlertState#pendingSince()}, in the store), so that it survives a restart and all
 * collectors sharing a store count from the same start.
 */
final class RuleEvaluator {
  /**
   * A synthetic result.
   *
   * @param service the rule's name
   * @param status the status after {@code for:}
   * @param output Nagios-style output
   * @param pendingSince since when the condition holds, epoch ms; 0 when it does not
   */
  record Result(String service, Status status, String output, long pendingSince) {}

  private final List<RuleSection> rules;

  RuleEvaluator(List<RuleSection> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * @param pendingSince a rule's stored {@link Result#pendingSince()} by rule name, 0 for none
   */
  List<Result> evaluate(
      Set<String> groups,
      List<CheckResult> results,
      long now,
      ToLongFunction<String> pendingSince) {
    List<Result> out = new ArrayList<>();
    for (RuleSection rule : rules) {
      if (rule.group() != null && !groups.contains(rule.group())) {
        continue;
      }
      Status worst = null;
      String detail = null;
      for (CheckResult c : results) {
        for (Metric m : c.metrics()) {
          if (!m.name().equals(rule.metric()) || !matches(m.labels(), rule.labels())) {
            continue;
          }
          Status s = statusOf(rule, m.value());
          if (worst == null || s.worse(worst) != worst) {
            worst = s;
            detail = m.name() + m.labels() + " = " + m.value();
          }
        }
      }
      if (worst == null) {
        continue;
      }
      String threshold =
          worst == Status.CRITICAL
              ? rule.critical()
              : worst == Status.WARNING ? rule.warning() : "";
      if (worst == Status.OK) {
        out.add(new Result(rule.name(), Status.OK, "RULE OK - " + detail, 0));
        continue;
      }
      long stored = pendingSince.applyAsLong(rule.name());
      long since = stored > 0 && stored <= now ? stored : now;
      long held = now - since;
      if (held < rule.holdFor().toMillis()) {
        out.add(
            new Result(
                rule.name(),
                Status.OK,
                "RULE OK - " + detail + " (" + threshold + " pending, " + held / 1000 + "s)",
                since));
      } else {
        out.add(
            new Result(
                rule.name(),
                worst,
                "RULE " + worst + " - " + detail + " (" + threshold + " for " + held / 1000 + "s)",
                since));
      }
    }
    return out;
  }

  private static boolean matches(Map<String, String> have, Map<String, String> want) {
    for (Map.Entry<String, String> e : want.entrySet()) {
      if (!e.getValue().equals(have.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static Status statusOf(RuleSection rule, double v) {
    if (rule.critical() != null && RuleSection.Condition.parse(rule.critical()).test(v)) {
      return Status.CRITICAL;
    }
    if (rule.warning() != null && RuleSection.Condition.parse(rule.warning()).test(v)) {
      return Status.WARNING;
    }
    return Status.OK;
  }
}
