// An entry page's small map: the entry's point on the basemap.
import { pointMap } from "../frontend/point-map.js";

pointMap("entry-config", "entry-map", { colour: "#c62828" });
