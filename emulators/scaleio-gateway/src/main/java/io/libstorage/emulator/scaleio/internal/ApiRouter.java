package io.libstorage.emulator.scaleio.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Maps {@code /api/...} paths (reference section 2 grammar) to the model and renders the answers. */
final class ApiRouter {
    private final Gateway gateway;
    private final JsonViews views;
    private final String userName;

    ApiRouter(Gateway gateway, JsonViews views, String userName) {
        this.gateway = gateway;
        this.views = views;
        this.userName = userName;
    }

    private interface Writer<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    private static <T> Reply list(List<T> items, Writer<T> writer) {
        return Reply.json(g -> {
            g.writeStartArray();
            for (T item : items) {
                writer.write(g, item);
            }
            g.writeEndArray();
        });
    }

    private static <T> Reply one(T item, Writer<T> writer) {
        return Reply.json(g -> writer.write(g, item));
    }

    private static GatewayException noRoute(String method, String path) {
        return new GatewayException(404, 0, "No resource found for " + method + " " + path);
    }

    private static GatewayException wrongMethod(String method) {
        return new GatewayException(405, 0, "Request method '" + method + "' not supported");
    }

    Reply route(String method, String path, Params p) {
        String[] s = path.substring("/api/".length()).split("/", -1);
        if (s[0].equals("types") && s.length >= 3 && s[2].equals("instances")) {
            String type = s[1];
            if (s.length == 3) {
                return switch (method) {
                    case "GET" -> listType(type, method, path);
                    case "POST" -> {
                        if (!type.equals("Volume")) {
                            throw noRoute(method, path);
                        }
                        String id = gateway.volumes().createVolume(p);
                        yield Reply.json(g -> {
                            g.writeStartObject();
                            g.writeStringField("id", id);
                            g.writeEndObject();
                        });
                    }
                    default -> throw wrongMethod(method);
                };
            }
            if (s.length == 5 && s[3].equals("action")) {
                requirePost(method);
                return typeAction(type, s[4], p, method, path);
            }
            if ((s.length == 4 || s.length == 5 && s[4].isEmpty()) && s[3].contains("::")) {
                requireGet(method);
                return legacyLookup(type, s[3], method, path);
            }
            throw noRoute(method, path);
        }
        if (s[0].equals("instances") && s.length >= 2) {
            String instance = s[1];
            int sep = instance.indexOf("::");
            if (sep < 0) {
                if (instance.equals("System") && s.length == 4 && s[2].equals("action")) {
                    requirePost(method);
                    return systemAction(null, s[3], p, method, path);
                }
                throw noRoute(method, path);
            }
            String type = instance.substring(0, sep);
            String id = instance.substring(sep + 2);
            if (s.length == 2) {
                requireGet(method);
                return get(type, id, method, path);
            }
            if (s.length == 4 && s[2].equals("relationships")) {
                requireGet(method);
                return relationship(type, id, s[3], method, path);
            }
            if (s.length == 4 && s[2].equals("action")) {
                requirePost(method);
                return instanceAction(type, id, s[3], p, method, path);
            }
        }
        throw noRoute(method, path);
    }

    private static void requireGet(String method) {
        if (!method.equals("GET")) {
            throw wrongMethod(method);
        }
    }

    private static void requirePost(String method) {
        if (!method.equals("POST")) {
            throw wrongMethod(method);
        }
    }

    private Reply listType(String type, String method, String path) {
        return switch (type) {
            case "System" -> {
                boolean restricted = gateway.options().restrictedSdcMode();
                yield list(gateway.topology().systems(), (g, sys) -> views.system(g, sys, restricted));
            }
            case "ProtectionDomain" -> list(gateway.topology().domains(), views::domain);
            case "StoragePool" -> list(gateway.topology().pools(), views::pool);
            case "Volume" -> list(gateway.volumes().all(), views::volume);
            case "Sdc" -> views.hostTypes() ? withNvmeHosts(gateway.topology().systems(), gateway.sdcs().all()) : list(gateway.sdcs().all(), views::sdc);
            default -> throw noRoute(method, path);
        };
    }

    /** A 4.x SDC collection: each system's NVMe host first, then the SDCs. */
    private Reply withNvmeHosts(List<SystemRec> systems, List<Model.SdcRec> sdcs) {
        return Reply.json(g -> {
            g.writeStartArray();
            for (SystemRec s : systems) {
                views.nvmeHost(g, s);
            }
            for (Model.SdcRec s : sdcs) {
                views.sdc(g, s);
            }
            g.writeEndArray();
        });
    }

    private Reply get(String type, String id, String method, String path) {
        return switch (type) {
            case "System" -> one(gateway.topology().system(id), (g, sys) -> views.system(g, sys, gateway.options().restrictedSdcMode()));
            case "ProtectionDomain" -> one(gateway.topology().domain(id), views::domain);
            case "StoragePool" -> one(gateway.topology().pool(id), views::pool);
            case "Volume" -> one(gateway.volumes().volume(id), views::volume);
            case "VTree" -> one(gateway.volumes().vtree(id), views::vtree);
            case "Sdc" -> one(gateway.sdcs().sdc(id), views::sdc);
            default -> throw noRoute(method, path);
        };
    }

    private Reply relationship(String type, String id, String rel, String method, String path) {
        Reply r = switch (type + "/" + rel) {
            case "System/ProtectionDomain" -> orNull(gateway.topology().domainsOfSystem(id), views::domain);
            case "System/Sdc" -> {
                List<Model.SdcRec> sdcs = gateway.sdcs().sdcsOfSystem(id);
                yield sdcs == null || !views.hostTypes() ? orNull(sdcs, views::sdc)
                        : withNvmeHosts(List.of(gateway.topology().system(id)), sdcs);
            }
            case "System/Statistics" -> {
                SystemRec sys = gateway.topology().system(id);
                Map<String, Object> stats = gateway.statistics().systemStatistics(sys);
                yield Reply.json(g -> JsonViews.map(g, stats));
            }
            case "System/User" -> {
                SystemRec sys = gateway.topology().system(id);
                yield Reply.json(g -> {
                    g.writeStartArray();
                    views.user(g, sys, userName);
                    g.writeEndArray();
                });
            }
            case "ProtectionDomain/StoragePool" -> orNull(gateway.topology().poolsOfDomain(id), views::pool);
            case "ProtectionDomain/Statistics" -> {
                Map<String, Object> stats = gateway.statistics().domainStatistics(gateway.topology().domain(id));
                yield Reply.json(g -> JsonViews.map(g, stats));
            }
            case "ProtectionDomain/Sds", "ProtectionDomain/FaultSet" -> {
                gateway.topology().domain(id);
                yield list(List.of(), (g, x) -> { });
            }
            case "StoragePool/Volume" -> orNull(gateway.volumes().volumesOfPool(id), views::volume);
            case "StoragePool/VTree" -> orNull(gateway.volumes().vtreesOfPool(id), views::vtree);
            case "StoragePool/Statistics" -> {
                Map<String, Object> stats = gateway.statistics().poolStatistics(gateway.topology().pool(id));
                yield Reply.json(g -> JsonViews.map(g, stats));
            }
            case "StoragePool/Device" -> {
                gateway.topology().pool(id);
                yield list(List.of(), (g, x) -> { });
            }
            case "Volume/Statistics" -> {
                Map<String, Object> stats = gateway.statistics().volumeStatistics(gateway.volumes().volume(id));
                yield Reply.json(g -> JsonViews.map(g, stats));
            }
            case "VTree/Volume" -> orNull(gateway.volumes().volumesOfVTree(id), views::volume);
            case "VTree/Statistics" -> {
                gateway.volumes().vtree(id);
                yield Reply.json(g -> JsonViews.map(g, Map.of("numOfVolumes", gateway.volumes().volumesOfVTree(id).size())));
            }
            case "Sdc/Volume" -> orNull(gateway.volumes().volumesOfSdc(id), views::volume);
            case "Sdc/Statistics" -> {
                Map<String, Object> stats = gateway.statistics().sdcStatistics(gateway.sdcs().sdc(id));
                yield Reply.json(g -> JsonViews.map(g, stats));
            }
            default -> throw noRoute(method, path);
        };
        if (r == null) {
            // observed on a real gateway for an unknown parent: 500 "Error in get relationship Volume", errorCode 0
            throw new GatewayException(500, 0, "Error in get relationship " + rel);
        }
        return r;
    }

    private static <T> Reply orNull(List<T> items, Writer<T> writer) {
        return items == null ? null : list(items, writer);
    }

    private Reply typeAction(String type, String action, Params p, String method, String path) {
        return switch (type + "/" + action) {
            case "Volume/queryIdByKey" -> Reply.jsonString(gateway.volumes().volumeIdByName(p.required("name")));
            case "Volume/queryBySelectedIds" -> {
                List<String> ids = p.strings("ids");
                if (ids == null) {
                    throw GatewayException.missingParameters("ids");
                }
                yield list(gateway.volumes().volumesByIds(ids), views::volume);
            }
            case "ProtectionDomain/queryIdByKey" -> Reply.jsonString(gateway.topology().domainIdByName(p.required("name")));
            case "StoragePool/queryIdByKey" -> Reply.jsonString(gateway.topology().poolIdByKey(p.required("name"),
                    p.string("protectionDomainName"), p.string("protectionDomainId")));
            case "StoragePool/querySelectedStatistics" -> poolSelectedStatistics(p);
            case "Sdc/queryIdByKey" -> {
                String ip = p.string("ip");
                String name = p.string("name");
                if (ip == null && name == null) {
                    throw GatewayException.missingOneOf("ip, name");
                }
                yield Reply.jsonString(gateway.sdcs().sdcIdByKey(ip, name));
            }
            case "Sdc/queryAllApprovedSdc" -> list(gateway.sdcs().approvedSdcs(), views::sdc);
            default -> throw noRoute(method, path);
        };
    }

    private Reply poolSelectedStatistics(Params p) {
        List<String> ids = p.strings("ids");
        List<String> properties = p.strings("properties");
        if (ids == null || properties == null) {
            throw GatewayException.missingParameters(ids == null ? "ids" : "properties");
        }
        List<PoolRec> poolList = ids.stream().map(gateway.topology()::pool).toList();
        List<Map<String, Object>> stats = poolList.stream().map(gateway.statistics()::poolStatistics).toList();
        return Reply.json(g -> {
            g.writeStartObject();
            for (int i = 0; i < poolList.size(); i++) {
                g.writeObjectFieldStart(poolList.get(i).id());
                for (String prop : properties) {
                    Object v = stats.get(i).get(prop);
                    if (v instanceof Number n) {
                        g.writeNumberField(prop, n.longValue());
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private Reply instanceAction(String type, String id, String action, Params p, String method, String path) {
        if (type.equals("System")) {
            return systemAction(id, action, p, method, path);
        }
        switch (type + "/" + action) {
            case "Volume/removeVolume" -> gateway.volumes().removeVolume(id, p);
            case "Volume/setVolumeSize" -> gateway.volumes().setVolumeSize(id, p);
            case "Volume/setVolumeName" -> gateway.volumes().setVolumeName(id, p);
            case "Volume/addMappedSdc" -> gateway.mappings().addMappedSdc(id, p);
            case "Volume/removeMappedSdc" -> gateway.mappings().removeMappedSdc(id, p);
            case "Volume/setMappedSdcLimits" -> gateway.mappings().setMappedSdcLimits(id, p);
            case "Sdc/setSdcName" -> gateway.sdcs().setSdcName(id, p);
            default -> throw noRoute(method, path);
        }
        return Reply.empty();
    }

    private Reply systemAction(String systemId, String action, Params p, String method, String path) {
        switch (action) {
            case "snapshotVolumes" -> {
                Snapshots.Result r = gateway.snapshots().snapshotVolumes(systemId, p);
                return Reply.json(g -> {
                    g.writeStartObject();
                    g.writeArrayFieldStart("volumeIdList");
                    for (String v : r.volumeIds()) {
                        g.writeString(v);
                    }
                    g.writeEndArray();
                    g.writeStringField("snapshotGroupId", r.snapshotGroupId());
                    g.writeEndObject();
                });
            }
            case "removeConsistencyGroupSnapshots" -> {
                gateway.snapshots().removeConsistencyGroupSnapshots(systemId, p);
                return Reply.empty();
            }
            case "approveSdc" -> {
                if (systemId == null) {
                    throw noRoute(method, path);
                }
                String sdcId = gateway.sdcs().approveSdc(systemId, p);
                return Reply.json(g -> {
                    g.writeStartObject();
                    g.writeStringField("id", sdcId);
                    g.writeEndObject();
                });
            }
            default -> throw noRoute(method, path);
        }
    }

    /** Legacy lookups (cinder, os-brick, siolib): {@code getByName::<name>} and {@code getByIp::<ip>}. */
    private Reply legacyLookup(String type, String segment, String method, String path) {
        int sep = segment.indexOf("::");
        String kind = segment.substring(0, sep);
        String key = URLDecoder.decode(segment.substring(sep + 2), StandardCharsets.UTF_8);
        return switch (type + "/" + kind) {
            // os-brick and siolib URL-encode volume names twice; the servlet container decoded once already
            case "Volume/getByName" -> Reply.jsonString(gateway.volumes().volumeIdByName(URLDecoder.decode(key, StandardCharsets.UTF_8)));
            case "Domain/getByName" -> Reply.jsonString(gateway.topology().domainIdByName(key));
            case "Pool/getByName" -> {
                int comma = key.indexOf(',');
                if (comma < 0) {
                    throw noRoute(method, path);
                }
                yield Reply.jsonString(gateway.topology().poolIdByKey(key.substring(comma + 1), null, key.substring(0, comma)));
            }
            case "Client/getByIp" -> Reply.jsonString(gateway.sdcs().sdcIdByKey(key, null));
            default -> throw noRoute(method, path);
        };
    }
}
