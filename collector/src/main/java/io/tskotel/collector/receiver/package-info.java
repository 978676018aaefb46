/**
 * OTLP receivers: the collector's front door.
 *
 * <p>{@link io.tskotel.collector.receiver.OtlpReceiver} runs OTLP/gRPC (grpc-java on Netty, port
 * 4317) and OTLP/HTTP (Javalin on Jetty, port 4318; protobuf and the OTLP JSON mapping, gzip). Both
 * share one path per request: bound the size (after decompression), check the bearer token, parse,
 * drop invalid items into {@code partial_success}, and hand the valid rest to the {@link
 * io.tskotel.collector.pipeline.IngestSink}. The client hears success only when the sink accepted,
 * i.e. the data is durable; a refusing sink becomes a retryable status (gRPC UNAVAILABLE with
 * RetryInfo, HTTP 503 with Retry-After), so nothing is dropped silently.
 *
 * <p>Status mapping: malformed body → INVALID_ARGUMENT / 400; too large → RESOURCE_EXHAUSTED / 413;
 * wrong Content-Type or Content-Encoding → 415; bad or missing token → UNAUTHENTICATED / 401; sink
 * refused → UNAVAILABLE / 503; our own failure → INTERNAL / 500. Error bodies are {@code
 * google.rpc.Status} in the request's encoding.
 */
@NullMarked
package io.tskotel.collector.receiver;

import org.jspecify.annotations.NullMarked;
