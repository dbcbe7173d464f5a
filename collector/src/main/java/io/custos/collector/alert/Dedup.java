package io.custos.collector.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dedup step of delivery, after Alertmanager's {@code DedupStage}: notices of one batch (one
 * host's notices gathered within {@code group_wait}) that cancel each other are not sent. A
 * problem's first PROBLEM and its RECOVERY in one batch cancel (the recipients never heard of the
 * problem, so they need not hear it is over), with any ACKNOWLEDGEMENT between them; so do a
 * DOWNTIMESTART and the DOWNTIMEEND or DOWNTIMECANCELLED of the same service. A RECOVERY whose
 * problem was told in an earlier message always goes out. Pure; no I/O.
 */
final class Dedup {
  private Dedup() {}

  /**
   * Which notices of {@code batch} (in the order they were decided) to leave out.
   *
   * @return for each index of {@code batch}, true to leave it out
   */
  static boolean[] cancelled(List<Notice> batch) {
    boolean[] out = new boolean[batch.size()];
    // Per service: indexes of the notices of its current, still open episode in this batch.
    Map<String, List<Integer>> open = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Notice n = batch.get(i);
      List<Integer> episode = open.computeIfAbsent(n.service(), s -> new ArrayList<>());
      switch (n.type()) {
        case PROBLEM, ACKNOWLEDGEMENT, DOWNTIMESTART -> episode.add(i);
        case RECOVERY -> cancel(batch, episode, out, i, NoticeType.PROBLEM);
        case DOWNTIMEEND, DOWNTIMECANCELLED ->
            cancel(batch, episode, out, i, NoticeType.DOWNTIMESTART);
        default -> {}
      }
    }
    return out;
  }

  /**
   * Closes an episode with the notice at {@code closer}: when the episode's opener ({@code opener}
   * type, and for a PROBLEM the first of its problem) is in this batch, leaves out the opener, what
   * belongs to it and the closer.
   */
  private static void cancel(
      List<Notice> batch, List<Integer> episode, boolean[] out, int closer, NoticeType opener) {
    Integer first = null;
    for (int i : episode) {
      Notice n = batch.get(i);
      if (n.type() == opener && (opener != NoticeType.PROBLEM || n.number() == 1)) {
        first = i;
        break;
      }
    }
    if (first != null) {
      List<Integer> kept = new ArrayList<>();
      for (int i : episode) {
        NoticeType t = batch.get(i).type();
        boolean belongs =
            i >= first
                && (opener == NoticeType.PROBLEM
                    ? t == NoticeType.PROBLEM || t == NoticeType.ACKNOWLEDGEMENT
                    : t == NoticeType.DOWNTIMESTART);
        if (belongs) {
          out[i] = true;
        } else {
          kept.add(i);
        }
      }
      out[closer] = true;
      episode.clear();
      episode.addAll(kept);
    } else if (opener == NoticeType.PROBLEM) {
      episode.removeIf(i -> batch.get(i).type() != NoticeType.DOWNTIMESTART);
    } else {
      episode.removeIf(i -> batch.get(i).type() == NoticeType.DOWNTIMESTART);
    }
  }
}
