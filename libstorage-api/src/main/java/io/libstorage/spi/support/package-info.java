/**
 * Helpers for driver authors, so that each piece of shared logic exists once: the takeover template
 * ({@link io.libstorage.spi.support.Takeover}: decide, fence, verify, map) with its pre-emption decision
 * ({@link io.libstorage.spi.support.Preemptions}), the spec check of an idempotent create
 * ({@link io.libstorage.spi.support.SpecCompatibility}), waiting for a device, running processes by argument list with
 * a deadline, atomic file writes (also in two halves, so that one can overlap other work), a step run beside the
 * caller's ({@link io.libstorage.spi.support.Overlap}), inter-process locks, durations and "did you mean" suggestions for configuration
 * keys. Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.spi.support;

import org.jspecify.annotations.NullMarked;
