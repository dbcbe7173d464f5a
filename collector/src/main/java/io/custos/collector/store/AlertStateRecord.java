package io.custos.collector.store;

/**
 * The alert engine's state document of one (host, service).
 *
 * @param host node name
 * @param service service name
 * @param json the document
 */
public record AlertStateRecord(String host, String service, String json) {}
