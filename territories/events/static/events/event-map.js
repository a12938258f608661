// The event page's small map: the event's point on the basemap.
import { pointMap } from "../frontend/point-map.js";

pointMap("event-config", "event-map", { colour: "#0097a7" });
