package io.libstorage.csi.internal;

import io.libstorage.csi.internal.Model.Sharing;
import io.libstorage.csi.internal.Model.VolumeInfo;
import io.libstorage.csi.proto.VolumeCapability;
import io.libstorage.csi.proto.VolumeCapability.AccessMode.Mode;

import java.util.List;

/** What the CSI volume capabilities (access type and mode) mean for this plugin's volumes. */
final class Capabilities {
    private Capabilities() {
    }

    /** INVALID_ARGUMENT unless the capability names an access type and a known access mode. */
    static void requireWellFormed(VolumeCapability c, String field) {
        if (c.getAccessTypeCase() == VolumeCapability.AccessTypeCase.ACCESSTYPE_NOT_SET) {
            throw CsiError.invalid(field + ": the access type (mount or block) is missing");
        }
        if (!c.hasAccessMode() || c.getAccessMode().getMode() == Mode.UNKNOWN || c.getAccessMode().getMode() == Mode.UNRECOGNIZED) {
            throw CsiError.invalid(field + ": the access mode is missing or unknown");
        }
    }

    static boolean block(VolumeCapability c) {
        return c.getAccessTypeCase() == VolumeCapability.AccessTypeCase.BLOCK;
    }

    static Mode mode(VolumeCapability c) {
        return c.getAccessMode().getMode();
    }

    /** How many nodes the capability wants the volume on. */
    static Sharing sharing(VolumeCapability c) {
        switch (mode(c)) {
            case MULTI_NODE_READER_ONLY:
                return Sharing.MULTI_NODE_READ_ONLY;
            case MULTI_NODE_SINGLE_WRITER:
            case MULTI_NODE_MULTI_WRITER:
                return Sharing.MULTI_NODE_MULTI_WRITER;
            default:
                return Sharing.SINGLE_NODE;
        }
    }

    /** The widest sharing that a set of capabilities asks for. */
    static Sharing sharing(List<VolumeCapability> all) {
        Sharing widest = Sharing.SINGLE_NODE;
        for (VolumeCapability c : all) {
            Sharing s = sharing(c);
            if (s.ordinal() > widest.ordinal()) {
                widest = s;
            }
        }
        return widest;
    }

    static boolean readOnlyMode(VolumeCapability c) {
        return mode(c) == Mode.SINGLE_NODE_READER_ONLY || mode(c) == Mode.MULTI_NODE_READER_ONLY;
    }

    /** Why this plugin cannot serve the capability at all, or null when it can. */
    static String unsupported(VolumeCapability c, Library library) {
        Sharing s = sharing(c);
        if (s != Sharing.SINGLE_NODE && !library.multiNode()) {
            return "the " + library.backend() + " back end attaches a volume to one node at a time; " + mode(c) + " is not offered";
        }
        if (s == Sharing.MULTI_NODE_MULTI_WRITER && !block(c)) {
            return mode(c) + " with a mounted filesystem would corrupt it (several writers need a cluster filesystem): use the block access type";
        }
        if (!block(c)) {
            String fs = c.getMount().getFsType();
            if (!fs.isEmpty() && !library.filesystems().contains(fs)) {
                return "filesystem '" + fs + "' cannot be made on this node (it can make " + library.filesystems() + ")";
            }
        }
        return null;
    }

    /** Why an existing volume does not fit the capability, or null when it does. */
    static String mismatch(VolumeInfo v, VolumeCapability c) {
        Sharing wanted = sharing(c);
        boolean fits = v.sharing() == Sharing.MULTI_NODE_MULTI_WRITER
                || wanted == Sharing.SINGLE_NODE
                || wanted == v.sharing();
        if (!fits) {
            return "volume '" + v.name() + "' was created for " + v.sharing() + ", not " + mode(c);
        }
        if (!block(c)) {
            String fs = c.getMount().getFsType();
            if (!fs.isEmpty() && v.fsType() != null && !fs.equals(v.fsType())) {
                return "volume '" + v.name() + "' has filesystem " + v.fsType() + ", not " + fs;
            }
        }
        return null;
    }
}
