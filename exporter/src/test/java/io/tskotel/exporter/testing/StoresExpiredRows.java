package io.tskotel.exporter.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that stores rows older than their table's TTL on purpose (a retention test): {@link
 * RetentionGuard} lets it pass. Every other test must derive stored timestamps from now.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface StoresExpiredRows {}
