/**
 * Where checks read the machine from: text under a root path ({@code SysText}, {@code Mounts},
 * {@code Interfaces}, {@code Hwmon}, {@code StatFs}) and, on FreeBSD and macOS at the live {@code
 * /}, OSHI through the {@code Oshi*} adapters ({@code Platform} decides which).
 */
package io.custos.agent.check.os;
