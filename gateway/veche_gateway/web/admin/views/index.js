// Every view of the console; each module registers itself (see ../registry.js). Add a line per new view.
import "./contests.js";
import "./contest.js";
import "./nominations.js";
import "./moderation.js";
import "./audit.js";
import "./municipalities.js";
import "./annulment.js";
import "./live.js";
import "./results.js";
import "./invitations.js";
import "./roll.js";
import "./ops.js";
import "./embed.js";
