// What a new leaderboard changed in the order, not in the numbers, for the page's polite announcements: a new sole
// leader, or a practice moving up into the top three. Pure: node's tests (tests/js) run it as it is.

function soleLeader(ranks) {
  const first = Object.keys(ranks).filter((practice) => ranks[practice] === 1);
  return first.length === 1 ? first[0] : null;
}

/**
 * before: practice -> rank on the last board (null for the first board of a nomination); board: the API's
 * leaderboard. Returns the ranks to remember and the news: null, or { key: "leader" | "rankUp" | "tied",
 * practice, rank } (key names the page's words).
 */
export function rankNews(before, board) {
  const ranks = {};
  board.entries.forEach((e) => { ranks[e.practice] = e.rank; });
  if (!before || !board.visible) return { ranks, news: null };
  const leader = soleLeader(ranks);
  if (leader && leader !== soleLeader(before)) return { ranks, news: { key: "leader", practice: leader, rank: 1 } };
  const moved = board.entries.find((e) => e.rank <= 3 && before[e.practice] > e.rank);
  if (!moved) return { ranks, news: null };
  const tied = board.entries.filter((e) => e.rank === moved.rank).length > 1;
  return { ranks, news: { key: tied ? "tied" : "rankUp", practice: moved.practice, rank: moved.rank } };
}
