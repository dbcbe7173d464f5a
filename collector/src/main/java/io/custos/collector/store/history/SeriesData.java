package io.custos.collector.store.history;

import java.util.List;

/**
 * The answer to a range query.
 *
 * @param resolution the tier read
 * @param step width of each point in ms; 0 for raw samples
 * @param points raw samples as buckets of count 1 (start = sample time) or aggregated buckets, in
 *     time order
 */
public record SeriesData(Resolution resolution, long step, List<Bucket> points) {
  public SeriesData {
    points = List.copyOf(points);
  }
}
