// A project's small map: its area (if drawn) and its point.
import { pointMap } from "../frontend/point-map.js";

pointMap("forum-config", "forum-project-map", { colour: "#6a1b9a", radius: 8 });
