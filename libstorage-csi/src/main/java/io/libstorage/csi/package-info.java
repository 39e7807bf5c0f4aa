/**
 * The CSI plugin: {@link io.libstorage.csi.CsiPlugin} serves the Identity, Controller and Node services of the
 * Container Storage Interface (v1) on a unix socket ({@link io.libstorage.csi.CsiEndpoint}) over one
 * {@code LibStorage}, through its public methods only. Staging and publishing add the CSI paths as consumers of the
 * volume, so a volume stays mounted while any of them holds it. Nothing here is null unless marked
 * {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.csi;

import org.jspecify.annotations.NullMarked;
