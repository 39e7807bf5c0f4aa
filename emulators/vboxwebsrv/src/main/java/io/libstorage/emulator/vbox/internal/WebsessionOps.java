package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.internal.soap.SoapFault;

import java.util.List;
import java.util.Map;

import static io.libstorage.emulator.vbox.internal.Operations.none;
import static io.libstorage.emulator.vbox.internal.Operations.one;

/** {@code IWebsessionManager} and {@code IManagedObjectRef}, the operations vboxweb.cpp implements by hand. */
final class WebsessionOps {
    /**
     * What a refused logon looks like: vboxwebsrv returns a bare SOAP_FAULT without fault details, so gSOAP fills
     * in its generic text for that error number (inferred from gSOAP's fault defaults; not captured from a real host).
     */
    static final String LOGON_REFUSED = "Error 12";

    private static final Map<Class<?>, String> INTERFACES = Map.ofEntries(Map.entry(ComObjects.VirtualBoxRoot.class, "IVirtualBox"),
            Map.entry(ComObjects.SystemProperties.class, "ISystemProperties"), Map.entry(Vm.class, "IMachine"),
            Map.entry(SessionMachine.class, "IMachine"), Map.entry(SessionObj.class, "ISession"), Map.entry(Disk.class, "IMedium"),
            Map.entry(Progress.class, "IProgress"), Map.entry(ErrorInfo.class, "IVirtualBoxErrorInfo"),
            Map.entry(ComObjects.ControllerRef.class, "IStorageController"), Map.entry(ComObjects.AdapterRef.class, "INetworkAdapter"),
            Map.entry(ComObjects.FormatRef.class, "IMediumFormat"));

    private WebsessionOps() {
    }

    /**
     * @param credentials the accepted user name and password, or null when authentication is off (as with
     *                    {@code VBoxManage setproperty websrvauthlibrary null})
     */
    static void register(Operations ops, Model model, Websessions ws, String[] credentials) {
        ops.add("IWebsessionManager_logon", c -> {
            if (credentials != null && !(credentials[0].equals(c.string("username")) && credentials[1].equals(c.string("password")))) {
                throw SoapFault.client(LOGON_REFUSED);
            }
            return one(ws.logon());
        });
        ops.add("IWebsessionManager_logoff", c -> {
            model.endSessions(ws.logoff(c.string("refIVirtualBox")));
            return none();
        });
        ops.add("IWebsessionManager_getSessionObject", c -> {
            String parent = c.string("refIVirtualBox");
            SessionObj s = new SessionObj(ws.websessionIdOf(parent));
            return one(ws.adopt(parent, s) ? ws.refIn(parent, s) : "");
        });
        ops.add("IManagedObjectRef_release", c -> {
            ws.release(c.thisRef());
            return none();
        });
        ops.add("IManagedObjectRef_getInterfaceName", c -> {
            Object o;
            try {
                o = ws.resolve(c.thisRef());
            } catch (SoapFault invalid) {
                return List.of(""); // vboxweb.cpp answers an unknown reference with an empty name, not a fault
            }
            return one(INTERFACES.getOrDefault(o.getClass(), "IUnknown"));
        });
    }
}
