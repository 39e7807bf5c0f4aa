/**
 * A Mesos-style executor that mounts a task's volumes before the task starts and releases them when it ends, with
 * the task id as the volume's consumer, so that a task moved to another agent takes its volumes along. Nothing here
 * is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.examples.mesos;

import org.jspecify.annotations.NullMarked;
