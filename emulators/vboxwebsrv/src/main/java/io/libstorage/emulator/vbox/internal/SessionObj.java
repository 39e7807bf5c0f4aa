package io.libstorage.emulator.vbox.internal;

/** An {@code ISession} created by {@code IWebsessionManager_getSessionObject}. Guarded by the {@link Model} lock. */
final class SessionObj {
    /** The websession whose end releases this session's lock. */
    final long websessionId;
    SessionMachine machine;

    SessionObj(long websessionId) {
        this.websessionId = websessionId;
    }

    boolean locked() {
        return machine != null;
    }

    String state() {
        return locked() ? "Locked" : "Unlocked";
    }
}
