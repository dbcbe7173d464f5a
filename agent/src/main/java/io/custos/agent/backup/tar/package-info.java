/**
 * The tar format as Custos writes and reads it: POSIX ustar headers with PAX extended records
 * ({@code TarHeaders}, {@code PaxRecords}, IEEE Std 1003.1-2017 {@code pax}), GNU extensions as GNU
 * tar 1.34 writes them ({@code GNU.dumpdir}, PAX sparse 1.0), and a reader of the same ({@code
 * TarReader}). The engine in {@code io.custos.agent.backup} plans what goes into an archive; this
 * package only turns entries into blocks and blocks back into entries.
 */
package io.custos.agent.backup.tar;
