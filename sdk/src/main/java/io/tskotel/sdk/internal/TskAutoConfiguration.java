package io.tskotel.sdk.internal;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.tskotel.tsk.Tsk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * For applications on OpenTelemetry autoconfigure or the Java agent: with {@code -Dtskotel.config=FILE} (or
 * {@code TSKOTEL_CONFIG}) the TSK file supplies the resource, sampler, exporters and histogram views. Its values
 * fill only what {@code otel.*} properties and {@code OTEL_*} variables leave unset, so those keep precedence.
 * Does nothing without the property, and nothing for SDKs {@code TskTelemetry} builds itself.
 */
public final class TskAutoConfiguration implements AutoConfigurationCustomizerProvider {
  public static final String CONFIG_PROPERTY = "tskotel.config";
  private static final String MANAGED_PROPERTY = "tskotel.sdk.managed";

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    Holder holder = new Holder();
    customizer.addPropertiesCustomizer(config -> {
      String file = config.getString(CONFIG_PROPERTY);
      if (file == null || file.isBlank() || config.getBoolean(MANAGED_PROPERTY, false)) {
        return Map.of();
      }
      Tsk tsk;
      try {
        tsk = Tsk.load(Path.of(file));
      } catch (IOException e) {
        throw new ConfigurationException(CONFIG_PROPERTY + "=" + file + ": cannot read: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
      TskSettings settings;
      try {
        settings = TskSettings.from(tsk);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
      holder.tsk = tsk;
      holder.settings = settings;
      Map<String, String> unset = new LinkedHashMap<>();
      OtelProperties.of(settings).forEach((k, v) -> {
        if (config.getString(k) == null) {
          unset.put(k, v);
        }
      });
      return unset;
    });
    customizer.addMeterProviderCustomizer((meters, config) ->
        holder.tsk == null ? meters : Views.register(meters, holder.tsk, holder.settings));
  }

  private static final class Holder {
    @Nullable Tsk tsk;
    @Nullable TskSettings settings;
  }
}
