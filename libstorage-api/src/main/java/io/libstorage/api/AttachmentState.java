package io.libstorage.api;

/** State of an attachment as the storage system reports it. */
public enum AttachmentState {
    ATTACHED,
    DETACHING
}
