/**
 * Notification transports: mail through the local {@code sendmail -t -oi} or an SMTP relay (Angus
 * Mail; STARTTLS, SMTPS, AUTH), and webhooks. Each is a {@link
 * io.custos.collector.alert.notify.Notifier} that delivers one {@link
 * io.custos.collector.alert.notify.Message} and says what the other side answered.
 */
package io.custos.collector.alert.notify;
