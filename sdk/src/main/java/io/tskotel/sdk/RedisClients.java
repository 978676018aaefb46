package io.tskotel.sdk;

import io.tskotel.sdk.internal.HealthChecks;
import java.net.URI;
import java.util.List;

/** The cache check from {@code health_checks.redis_url}; the only class touching Jedis (optional) by itself. */
final class RedisClients {
  private RedisClients() {}

  static HealthCheck check(URI url, List<AutoCloseable> resources) {
    try {
      Class.forName("redis.clients.jedis.RedisClient", false, RedisClients.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "health_checks.redis_url is set but Jedis is not on the classpath (add redis.clients:jedis)", e);
    }
    redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.create(url);
    resources.add(client);
    return HealthChecks.redis(client);
  }
}
