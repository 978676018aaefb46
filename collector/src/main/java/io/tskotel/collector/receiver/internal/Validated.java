package io.tskotel.collector.receiver.internal;

import com.google.protobuf.Message;

/**
 * One request after validation: {@code kept} holds the valid items ({@code changed} tells whether it
 * differs from what was received), {@code rejected} how many items were dropped and why.
 */
public record Validated<T extends Message>(
    T kept, boolean changed, long keptItems, long rejectedItems, String errorMessage) {}
