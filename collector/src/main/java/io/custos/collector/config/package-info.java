/**
 * The collector's configuration file: one immutable record per section, read strictly by common's
 * {@link io.custos.common.config.ConfigReader} so an unknown key or a bad value is an error naming
 * file, line and key.
 */
package io.custos.collector.config;
