package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.grpc.stub.StreamObserver;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.Aggregation;
import io.tskotel.collector.query.LatencyStats;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.TimeRange;
import io.tskotel.proto.v1.Alert;
import io.tskotel.proto.v1.DashboardDataRequest;
import io.tskotel.proto.v1.GetMetricsRequest;
import io.tskotel.proto.v1.GetMetricsResponse;
import io.tskotel.proto.v1.JsonResponse;
import io.tskotel.proto.v1.LatencyResponse;
import io.tskotel.proto.v1.QueryFujsenRequest;
import io.tskotel.proto.v1.QueryServiceGrpc;
import io.tskotel.proto.v1.RateRequest;
import io.tskotel.proto.v1.RateResponse;
import io.tskotel.proto.v1.RecentAlertsRequest;
import io.tskotel.proto.v1.RecentAlertsResponse;
import io.tskotel.proto.v1.RevenueTodayRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code tskotel.v1.QueryService}: the same functions as the HTTP API, with the same argument rules and the
 * same error mapping ({@link ApiError}: INVALID_ARGUMENT, NOT_FOUND, UNAVAILABLE, INTERNAL).
 */
public final class QueryGrpcService extends QueryServiceGrpc.QueryServiceImplBase {
  private final QueryFunctions functions;
  private final TelemetryStore store;

  public QueryGrpcService(QueryFunctions functions, TelemetryStore store) {
    this.functions = requireNonNull(functions, "functions");
    this.store = requireNonNull(store, "store");
  }

  @FunctionalInterface
  private interface Call<T> {
    T get() throws Exception;
  }

  private <T> void answer(StreamObserver<T> out, boolean userSql, Call<T> call) {
    T value;
    try {
      value = call.get();
    } catch (Exception e) {
      ApiError error = ApiError.of(e, userSql, store);
      AdminServer.logFailure("gRPC QueryService call", error, e);
      out.onError(error.grpcStatus().asRuntimeException());
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  private static Duration window(String text, String defaultWindow) {
    return FunctionRoutes.window(text.isEmpty() ? defaultWindow : text);
  }

  @Override
  public void getMetrics(GetMetricsRequest req, StreamObserver<GetMetricsResponse> out) {
    answer(
        out,
        false,
        () -> {
          TimeRange range = TimeRange.parse(req.getRange().isEmpty() ? "1h" : req.getRange());
          Aggregation agg = Aggregation.parse(req.getAggregation().isEmpty() ? "avg" : req.getAggregation());
          var values = functions.metrics().getMetrics(req.getName(), range, agg, req.getLabelsMap());
          return GetMetricsResponse.newBuilder()
              .addAllValues(values)
              .setMetric(functions.config().resolveMetric(req.getName()))
              .build();
        });
  }

  @Override
  public void errorRate(RateRequest req, StreamObserver<RateResponse> out) {
    answer(
        out,
        false,
        () -> rate(functions.errorRate(window(req.getWindow(), "5m"))));
  }

  @Override
  public void requestRate(RateRequest req, StreamObserver<RateResponse> out) {
    answer(
        out,
        false,
        () -> rate(functions.requestRate(window(req.getWindow(), "1m"))));
  }

  @Override
  public void paymentSuccessRate(RateRequest req, StreamObserver<RateResponse> out) {
    answer(
        out,
        false,
        () -> rate(functions.paymentSuccessRate(window(req.getWindow(), "24h"))));
  }

  @Override
  public void revenueToday(RevenueTodayRequest req, StreamObserver<RateResponse> out) {
    answer(out, false, () -> rate(functions.revenueToday()));
  }

  @Override
  public void latency(RateRequest req, StreamObserver<LatencyResponse> out) {
    answer(
        out,
        false,
        () -> {
          LatencyResponse.Builder b = LatencyResponse.newBuilder();
          for (LatencyStats s : functions.latency(window(req.getWindow(), "5m"))) {
            b.addRoutes(
                io.tskotel.proto.v1.LatencyStats.newBuilder()
                    .setService(s.service())
                    .setRoute(s.route())
                    .setCount(s.count())
                    .setErrors(s.errors())
                    .setAvgMs(s.avgMs())
                    .setP50Ms(s.p50Ms())
                    .setP90Ms(s.p90Ms())
                    .setP95Ms(s.p95Ms())
                    .setP99Ms(s.p99Ms())
                    .setMaxMs(s.maxMs()));
          }
          return b.build();
        });
  }

  @Override
  public void recentAlerts(RecentAlertsRequest req, StreamObserver<RecentAlertsResponse> out) {
    answer(
        out,
        false,
        () -> {
          int limit = req.getLimit() == 0 ? 10 : req.getLimit();
          if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1..10000)");
          }
          RecentAlertsResponse.Builder b = RecentAlertsResponse.newBuilder();
          for (io.tskotel.exporter.AlertRecord a :
              functions.recentAlerts(window(req.getSince(), "1h"), limit)) {
            b.addAlerts(
                Alert.newBuilder()
                    .setType(a.type())
                    .setSeverity(a.severity())
                    .setMessage(a.message())
                    .setValue(a.value())
                    .setThreshold(a.threshold())
                    .setTimestampUnixNano(
                        a.timestamp().getEpochSecond() * 1_000_000_000L + a.timestamp().getNano())
                    .putAllLabels(a.labels()));
          }
          return b.build();
        });
  }

  @Override
  public void dashboardData(DashboardDataRequest req, StreamObserver<JsonResponse> out) {
    answer(out, false, () -> json(functions.dashboardData()));
  }

  @Override
  public void queryFujsen(QueryFujsenRequest req, StreamObserver<JsonResponse> out) {
    answer(
        out,
        true,
        () -> {
          String name = req.getSection().isEmpty() ? req.getName() : req.getSection() + "." + req.getName();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("fujsen", name);
          body.putAll(ApiJson.result(functions.runSqlFujsen(name, req.getParamsMap())));
          return json(body);
        });
  }

  /** No data leaves the value unset: {@code hasValue()} is false, rather than a 0 that reads as a measurement. */
  private static RateResponse rate(@Nullable Double value) {
    RateResponse.Builder b = RateResponse.newBuilder();
    if (value != null) {
      b.setValue(value);
    }
    return b.build();
  }

  private static JsonResponse json(Object value) throws Exception {
    return JsonResponse.newBuilder().setJson(ApiJson.mapper().writeValueAsString(value)).build();
  }
}
