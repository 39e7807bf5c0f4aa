package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * This guest's VM, resolved once when the driver starts: by {@code localMachineNameOrId}, or else by matching this
 * guest's MAC addresses to every VM's network adapters (adapter slots are read until VirtualBox says the slot number
 * is out of range, so neither {@code getChipsetType} nor {@code ISystemProperties}, gone from newer APIs, is needed).
 * No match, and a match with several VMs, are errors that name what was tried.
 *
 * @param id   the VM's UUID (lower case): this host's id
 * @param name the VM's name
 */
record LocalVm(String id, String name) {
    private static final int MAX_ADAPTERS = 36;
    private static final String HINT = "vboxwebsrv must run as the host user that owns the VMs (started as another user it sees"
            + " none of them)";

    static LocalVm resolve(VboxSession s, VirtualBoxSettings settings, Set<String> guestMacs, ErrorContext ctx) {
        if (settings.localMachineNameOrId().isPresent()) {
            return byNameOrId(s, settings, settings.localMachineNameOrId().get(), ctx);
        }
        if (guestMacs.isEmpty()) {
            throw config(ctx, "localMachineNameOrId", "not set, and this guest shows no MAC address in " + settings.netClassPath()
                    + " to find its VM by; set localMachineNameOrId to this VM's name or UUID");
        }
        Map<String, LocalVm> matches = new LinkedHashMap<>();
        List<Ref> machines = s.machines();
        for (Ref m : machines) {
            for (int slot = 0; slot < MAX_ADAPTERS; slot++) {
                Ref adapter;
                try {
                    adapter = s.networkAdapter(m, slot);
                } catch (VboxFault f) {
                    if (f.is(ResultCodes.E_INVALIDARG)) {
                        break; // past the chipset's last adapter
                    }
                    throw f;
                }
                String mac = s.macAddress(adapter).strip().toUpperCase(Locale.ROOT);
                s.release(adapter);
                if (guestMacs.contains(mac)) {
                    LocalVm vm = new LocalVm(s.machineId(m).strip().toLowerCase(Locale.ROOT), s.machineName(m));
                    matches.put(vm.id, vm);
                    break;
                }
            }
        }
        if (matches.size() == 1) {
            return matches.values().iterator().next();
        }
        if (matches.isEmpty()) {
            throw config(ctx, "localMachineNameOrId", "not set, and none of the " + machines.size() + " VM(s) the web service "
                    + settings.endpoint() + " shows has one of this guest's MAC addresses " + guestMacs + (machines.isEmpty()
                    ? "; " + HINT : "; set localMachineNameOrId to this VM's name or UUID (VirtualBox assigns MACs starting"
                    + " 080027; a guest with other MACs cannot be matched)"));
        }
        throw config(ctx, "localMachineNameOrId", "this guest's MAC addresses " + guestMacs + " belong to several VMs: "
                + matches.values().stream().map(v -> v.name + " (" + v.id + ")").toList()
                + "; give every VM unique MACs (VBoxManage modifyvm <vm> --macaddress1 auto) or set localMachineNameOrId");
    }

    private static LocalVm byNameOrId(VboxSession s, VirtualBoxSettings settings, String nameOrId, ErrorContext ctx) {
        Ref m;
        try {
            m = s.findMachine(nameOrId);
        } catch (VboxFault f) {
            if (!f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)) {
                throw f;
            }
            List<String> names = new ArrayList<>();
            for (Ref other : s.machines()) {
                names.add(s.machineName(other));
            }
            throw config(ctx, "localMachineNameOrId", "the web service " + settings.endpoint() + " knows no VM named or with UUID '"
                    + nameOrId + "' (" + f.text() + "); it shows " + (names.isEmpty() ? "no VM at all: " + HINT
                    : names.size() + " VM(s): " + names + " (" + HINT + ")"));
        }
        return new LocalVm(s.machineId(m).strip().toLowerCase(Locale.ROOT), s.machineName(m));
    }

    static InvalidConfigurationException config(ErrorContext ctx, String key, String problem) {
        return new InvalidConfigurationException(ctx, VirtualBoxSettings.SECTION + "." + key, problem);
    }

    @Override
    public String toString() {
        return name + " (" + id + ")";
    }
}
