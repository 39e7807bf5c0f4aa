package io.libstorage.emulator.vbox.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mutable {@code IMachine} of a locked machine. Changes are made to {@link #working} and become the machine's
 * settings at {@code saveSettings}; shared sessions work on the same object as the session holding the write lock.
 * Guarded by the {@link Model} lock.
 */
final class SessionMachine {
    final Vm vm;
    /** The session holding the write lock, or null when the VM process holds it. */
    final SessionObj direct;
    final Set<SessionObj> shared = new LinkedHashSet<>();
    List<Attachment> working;
    boolean alive = true;

    SessionMachine(Vm vm, SessionObj direct) {
        this.vm = vm;
        this.direct = direct;
        this.working = new ArrayList<>(vm.committed);
    }

    boolean modified() {
        return !working.equals(vm.committed);
    }
}
