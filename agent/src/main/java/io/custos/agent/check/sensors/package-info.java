/**
 * Sensor checks: {@code temperature}, {@code fans} and {@code voltage}, read through a {@code
 * SensorSource} (hwmon first, OSHI for what it lacks). Depends only on {@code
 * io.custos.agent.check} and its {@code os} package.
 */
package io.custos.agent.check.sensors;
