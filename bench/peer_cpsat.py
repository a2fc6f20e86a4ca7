#!/usr/bin/env python3
"""The benchmark's peer: an exact CP-SAT model of Stackpath's cost plan.

Reads the same pathway files as `stackpath plan` (a file, or a folder searched
recursively for *.pathway.json), builds the standard exact integer model of
delete-free planning with requirement trees (Imai and Fukunaga's IP for h+,
with Stackpath's counting rule), and asks Google OR-Tools CP-SAT for the
cheapest set of credentials to earn. Prints one JSON document.

The model, over the credentials relevant to the target (reachable through
`requires`, credit pools and equivalences):

- x_c in {0,1}: credential c is earned (0 when `earnable` is false, avoided or
  undefined). Held credentials (with their implied holdings) are constants 1.
- t_c in [0, N]: an integer potential, 0 for held credentials. When c is used
  toward o's requirements, t_c + 1 <= t_o: every plan is well-founded, so no
  credential counts toward its own requirements, directly or through others.
- For each obtainable credential o and each node n of o's `requires` tree,
  s_n in {0,1}: n is satisfied. x_o => s_root; all: s_n => s_child;
  any: s_n => OR s_child; at_least k: sum s_child >= k * s_n.
- An id leaf for d: s_leaf => have_d and t_d + 1 <= t_o.
- A credit pool: a_{p,d} in {0,1} per pool member d with credits in the unit;
  a => have_d and t_d + 1 <= t_o; sum credits_d * a_{p,d} >= n * s_p.
- Counting: inside one tree, each credential counts toward at most one leaf
  that is not under a `shared` node: sum of s_leaf (id leaves naming d) and
  a_{p,d} over those leaves <= 1.
- Equivalences: z_e in {0,1} obtains `grants` when its `when` tree is met by
  credentials with smaller potentials; have_g = held or x_g or some z_e.
- The target must be had. Objective: minimise the sum of costs in cents
  (round(amount * 100)), or effort (hundredths of hours), or count.

Expiry dates and budgets are not modelled: the benchmark plans from no
holdings, and `--holding` treats every holding as valid.

Usage:
  peer_cpsat.py --catalog DIR --target ucsd:program-cse [--objective cost]
                [--holding ID ...] [--check-plan PLAN.json] [--time-limit S]

With --check-plan, the earned set is fixed to the `steps` of a Stackpath
`plan --json` output, and the peer only says whether that set is a valid,
well-founded plan and what it costs: an independent check of our answer.
"""

import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()

from ortools.sat.python import cp_model  # noqa: E402  (timed: import is part of the peer)

T_IMPORT = time.perf_counter()

CREDIT_SCALE = 1000  # credits are compared in thousandths of a unit


class Catalog:
    def __init__(self):
        self.creds = {}  # id -> credential dict, requires already qualified
        self.by_tag = {}  # qualified tag -> [ids]
        self.equivalences = {}  # grants id -> [when requirement]
        self.currency = set()

    def load(self, path):
        files = []
        if os.path.isdir(path):
            for root, _dirs, names in os.walk(path):
                files += [os.path.join(root, n) for n in names if n.endswith(".pathway.json")]
            files.sort()
        else:
            files = [path]
        for f in files:
            with open(f, encoding="utf-8") as fh:
                self.add_document(json.load(fh))

    def add_document(self, doc):
        pub = doc["publisher"]["id"]

        def q(s):
            return s if ":" in s else pub + ":" + s

        def req(r):
            if isinstance(r, str):
                return {"id": q(r)}
            out = {"shared": bool(r.get("shared", False))}
            if "all" in r:
                out.update(op="all", k=len(r["all"]), of=[req(c) for c in r["all"]])
            elif "any" in r:
                out.update(op="any", k=1, of=[req(c) for c in r["any"]])
            elif "at_least" in r:
                out.update(op="at_least", k=int(r["at_least"]), of=[req(c) for c in r["of"]])
            elif "credits" in r:
                out.update(
                    op="credits",
                    n=round(float(r["credits"]) * CREDIT_SCALE),
                    unit=r["unit"],
                    from_ids=[q(x) for x in r.get("from", [])],
                    from_tags=[q(x) for x in r.get("from_tags", [])],
                )
            else:
                raise SystemExit(f"peer: unsupported requirement {json.dumps(r)[:80]}")
            return out

        for c in doc.get("credentials", []):
            cid = q(c["id"])
            credits = c.get("credits", [])
            if isinstance(credits, dict):
                credits = [credits]
            cost = c.get("cost")
            if cost:
                self.currency.add(cost["currency"])
            tags = [q(t) for t in c.get("tags", [])]
            self.creds[cid] = {
                "id": cid,
                "requires": req(c["requires"]) if "requires" in c else None,
                "earnable": bool(c.get("earnable", True)),
                "cents": round(float(cost["amount"]) * 100) if cost else 0,
                "effort": round(float(c.get("effort_hours", 0)) * 100),
                "credits": credits,
            }
            for t in tags:
                self.by_tag.setdefault(t, []).append(cid)
        for e in doc.get("equivalences", []):
            self.equivalences.setdefault(q(e["grants"]), []).append(req(e["when"]))

    def credits_in(self, cid, unit):
        c = self.creds.get(cid)
        if not c:
            return 0
        return sum(round(float(k["value"]) * CREDIT_SCALE) for k in c["credits"] if k["unit"] == unit)

    def pool_members(self, node):
        seen, out = set(), []
        for cid in node["from_ids"] + [m for t in node["from_tags"] for m in self.by_tag.get(t, [])]:
            if cid not in seen:
                seen.add(cid)
                out.append(cid)
        return out

    def mentioned(self, node, out):
        if "id" in node:
            out.append(node["id"])
        elif node["op"] == "credits":
            out.extend(self.pool_members(node))
        else:
            for c in node["of"]:
                self.mentioned(c, out)
        return out

    def necessary(self, node, out):
        if "id" in node:
            out.append(node["id"])
        elif node["op"] in ("all", "at_least") and node["k"] == len(node["of"]):
            for c in node["of"]:
                self.necessary(c, out)
        return out


def relevant(cat, target):
    order, seen = [target], {target}
    i = 0
    while i < len(order):
        cid = order[i]
        i += 1
        nxt = []
        c = cat.creds.get(cid)
        if c and c["requires"]:
            cat.mentioned(c["requires"], nxt)
        for w in cat.equivalences.get(cid, []):
            cat.mentioned(w, nxt)
        for n in nxt:
            if n not in seen:
                seen.add(n)
                order.append(n)
    return order


def implied_holdings(cat, held):
    out, stack = set(held), list(held)
    while stack:
        c = cat.creds.get(stack.pop())
        if c and c["requires"]:
            for n in cat.necessary(c["requires"], []):
                if n not in out:
                    out.add(n)
                    stack.append(n)
    return out


def build(cat, target, objective, held, avoid, fixed=None):
    m = cp_model.CpModel()
    rel = relevant(cat, target)
    held = implied_holdings(cat, held)
    n = len(rel) + 1
    x, t, have = {}, {}, {}
    routes = {}
    for cid in rel:
        if cid in held:
            have[cid] = 1
            t[cid] = 0
            continue
        c = cat.creds.get(cid)
        eqs = cat.equivalences.get(cid, [])
        can_earn = c is not None and c["earnable"] and cid not in avoid
        if not can_earn and not eqs:
            have[cid] = 0
            continue
        t[cid] = m.NewIntVar(1, n, f"t[{cid}]")
        r = []
        if can_earn:
            x[cid] = m.NewBoolVar(f"x[{cid}]")
            r.append((x[cid], c["requires"]))
        for j, w in enumerate(eqs):
            r.append((m.NewBoolVar(f"z[{cid}#{j}]"), w))
        routes[cid] = r
        if len(r) == 1:
            have[cid] = r[0][0]
        else:
            h = m.NewBoolVar(f"have[{cid}]")
            m.AddBoolOr([v for v, _ in r]).OnlyEnforceIf(h)
            have[cid] = h

    def const(v):
        return isinstance(v, int)

    def usable(d):
        return d in have and not (const(have[d]) and have[d] == 0)

    def use(owner, d, lit):
        """lit => d is had and comes strictly before owner."""
        if not usable(d) or d == owner:
            m.Add(lit == 0)
            return
        if not const(have[d]):
            m.AddImplication(lit, have[d])
        if not const(t[d]):
            m.Add(t[d] + 1 <= t[owner]).OnlyEnforceIf(lit)

    def tree(owner, node, counts, shared, lit_for_node):
        """Encodes node; lit_for_node is its s_n; counts collects per-credential uses."""
        shared = shared or node.get("shared", False)
        if "id" in node:
            use(owner, node["id"], lit_for_node)
            if not shared:
                counts.setdefault(node["id"], []).append(lit_for_node)
            return
        if node["op"] == "credits":
            terms = []
            for d in cat.pool_members(node):
                cr = cat.credits_in(d, node["unit"])
                if cr <= 0 or not usable(d) or d == owner:
                    continue
                a = m.NewBoolVar(f"a[{owner}/{d}]")
                use(owner, d, a)
                if not shared:
                    counts.setdefault(d, []).append(a)
                terms.append(cr * a)
            if terms:
                m.Add(sum(terms) >= node["n"]).OnlyEnforceIf(lit_for_node)
            else:
                m.Add(lit_for_node == 0)
            return
        kids = [m.NewBoolVar("s") for _ in node["of"]]
        for k, child in zip(kids, node["of"]):
            tree(owner, child, counts, shared, k)
        if node["op"] == "all":
            for k in kids:
                m.AddImplication(lit_for_node, k)
        elif node["op"] == "any":
            m.AddBoolOr(kids).OnlyEnforceIf(lit_for_node)
        else:
            m.Add(sum(kids) >= node["k"]).OnlyEnforceIf(lit_for_node)

    for cid, rs in routes.items():
        for lit, req in rs:
            if req is None:
                continue
            counts = {}
            tree(cid, req, counts, False, lit)
            for uses in counts.values():
                if len(uses) > 1:
                    m.AddAtMostOne(uses)

    if not usable(target):
        return m, x, t, False
    if not const(have[target]):
        m.Add(have[target] == 1)

    def weight(cid):
        c = cat.creds[cid]
        return {"cost": c["cents"], "effort": c["effort"], "count": 1}[objective]

    m.Minimize(sum(weight(cid) * v for cid, v in x.items()))
    if fixed is not None:
        for cid, v in x.items():
            m.Add(v == (1 if cid in fixed else 0))
    return m, x, t, True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--catalog", action="append", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--objective", default="cost", choices=["cost", "effort", "count"])
    ap.add_argument("--holding", action="append", default=[])
    ap.add_argument("--avoid", action="append", default=[])
    ap.add_argument("--check-plan", help="a `stackpath plan --json` output whose steps to check")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--workers", type=int, default=0, help="CP-SAT num_workers; 0 = its default")
    args = ap.parse_args()

    cat = Catalog()
    for path in args.catalog:
        cat.load(path)
    if args.objective == "cost" and len(cat.currency) > 1:
        raise SystemExit(f"peer: several currencies {sorted(cat.currency)}; the cost objective needs one")
    t_load = time.perf_counter()

    fixed = None
    if args.check_plan:
        with open(args.check_plan, encoding="utf-8") as fh:
            plan = json.load(fh)
        fixed = {s["id"] for s in plan.get("steps", [])}
        unknown = sorted(f for f in fixed if f not in cat.creds)
        if unknown:
            raise SystemExit(f"peer: the plan earns credentials no file defines: {unknown}")

    m, x, t, possible = build(cat, args.target, args.objective, set(args.holding), set(args.avoid), fixed)
    t_build = time.perf_counter()
    out = {"target": args.target, "objective": args.objective, "solver": "ortools-cp-sat"}
    if not possible:
        out.update(status="INFEASIBLE", feasible=False, optimal=True)
    else:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = args.time_limit
        if args.workers:
            solver.parameters.num_workers = args.workers
        status = solver.Solve(m)
        name = solver.StatusName(status)
        out.update(status=name, feasible=status in (cp_model.OPTIMAL, cp_model.FEASIBLE))
        out["optimal"] = status == cp_model.OPTIMAL or status == cp_model.INFEASIBLE
        if out["feasible"]:
            chosen = [cid for cid, v in x.items() if solver.Value(v)]
            chosen.sort(key=lambda c: (solver.Value(t[c]), c))
            value = round(solver.ObjectiveValue())
            out["value"] = value
            out["lower_bound"] = round(solver.BestObjectiveBound())
            out["cost_cents"] = sum(cat.creds[c]["cents"] for c in chosen)
            out["count"] = len(chosen)
            out["steps"] = chosen
        out["model"] = {"relevant": len(relevant(cat, args.target)), "earnable_vars": len(x)}
    t_solve = time.perf_counter()
    out["seconds"] = {
        "import": round(T_IMPORT - T0, 4),
        "load": round(t_load - T_IMPORT, 4),
        "build": round(t_build - t_load, 4),
        "solve": round(t_solve - t_build, 4),
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    if not out["feasible"]:
        sys.exit(3)


if __name__ == "__main__":
    main()
