/**
 * What users of the library see: value records ({@link io.libstorage.api.Volume}, {@link io.libstorage.api.VolumeSpec},
 * {@link io.libstorage.api.VolumeStatus}, identifiers such as {@link io.libstorage.api.VolumeId} and
 * {@link io.libstorage.api.ConsumerId}), the per-call choices ({@code *Options}), the events, and the errors: every one
 * is a case of the sealed, unchecked {@link io.libstorage.api.StorageException} with a stable {@code code()}, a
 * {@code retryable()} answer and an {@link io.libstorage.api.ErrorContext} naming operation, volume, host and back end.
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}; absence that changes what a call does
 * is an {@link java.util.Optional} or an explicit enum constant.
 */
@NullMarked
package io.libstorage.api;

import org.jspecify.annotations.NullMarked;
