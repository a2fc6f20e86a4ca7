#!/usr/bin/env python3
"""Checks the CP-SAT peer against brute force on random tiny catalogs.

The benchmark trusts the peer to tell whether Stackpath's optimum is right, so
the peer itself is checked first: on a few hundred random catalogs of up to 7
credentials, with every requirement form (all, any, at_least, credit pools,
shared nodes), soft cycles, equivalences, non-earnable credentials and
holdings, its optimal cost must equal the cheapest set found by enumerating
every set of credentials and checking it is a well-founded plan with an exact
assignment of credentials to leaves. Run by bench/ucsd.sh; takes seconds.

Usage: test_peer.py [--cases N] [--seed S]
"""

import argparse
import itertools
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_cpsat as peer  # noqa: E402
from ortools.sat.python import cp_model  # noqa: E402


def random_requirement(rng, me, ids, depth=0):
    others = [i for i in ids if i != me] or ids
    r = rng.random()
    if depth >= 2 or r < 0.3:
        return rng.choice(others)
    if r < 0.45:
        return {"credits": rng.choice([2, 3, 4, 5]), "unit": "U", "from": rng.sample(others, min(len(others), rng.randint(1, 4)))}
    n = rng.randint(1, 3)
    kids = [random_requirement(rng, me, ids, depth + 1) for _ in range(n)]
    op = rng.choice(["all", "any", "at_least"])
    node = {"all": kids} if op == "all" else {"any": kids} if op == "any" else {"at_least": rng.randint(1, n), "of": kids}
    if rng.random() < 0.15:
        node["shared"] = True
    return node


def random_catalog(rng):
    n = rng.randint(2, 7)
    ids = [f"c{i}" for i in range(n)]
    creds = []
    for i in ids:
        c = {"id": i, "title": i, "kind": "course", "cost": {"amount": rng.randint(0, 20) * 10 + rng.choice([0, 0.25]), "currency": "USD"},
             "credits": {"value": rng.choice([1, 2, 2.5, 3]), "unit": "U"}}
        if rng.random() < 0.6:
            c["requires"] = random_requirement(rng, i, ids)
        if rng.random() < 0.1:
            c["earnable"] = False
        creds.append(c)
    eqs = []
    if rng.random() < 0.3:
        g = rng.choice(ids)
        eqs.append({"grants": g, "when": random_requirement(rng, g, ids, 1)})
    doc = {"format": "stackpath.pathway/1", "publisher": {"id": "t", "name": "t"}, "title": "t", "credentials": creds, "equivalences": eqs}
    held = set(f"t:{i}" for i in ids if rng.random() < 0.15)
    return doc, "t:" + rng.choice(ids), held


def satisfied(cat, node, avail, owner):
    """Whether node is met by avail (excluding owner) under the counting rule, exactly."""
    leaves = []  # (node, shared)

    def collect(nd, shared):
        shared = shared or nd.get("shared", False)
        if "id" in nd or nd["op"] == "credits":
            leaves.append((nd, shared))
        else:
            for c in nd["of"]:
                collect(c, shared)

    collect(node, False)
    usable = {a for a in avail if a != owner}

    def options(leaf, shared, used):
        if "id" in leaf:
            d = leaf["id"]
            yield False, used
            if d in usable and (shared or d not in used):
                yield True, used if shared else used | {d}
            return
        members = [d for d in cat.pool_members(leaf) if d in usable and cat.credits_in(d, leaf["unit"]) > 0 and (shared or d not in used)]
        yield False, used
        for k in range(1, len(members) + 1):
            for sub in itertools.combinations(members, k):
                if sum(cat.credits_in(d, leaf["unit"]) for d in sub) >= leaf["n"]:
                    yield True, used if shared else used | set(sub)

    def evaluate(nd, sat):
        if "id" in nd or nd["op"] == "credits":
            return sat[id(nd)]
        k = sum(1 for c in nd["of"] if evaluate(c, sat))
        return k >= nd["k"]

    def search(i, used, sat):
        if i == len(leaves):
            return evaluate(node, sat)
        leaf, shared = leaves[i]
        for ok, used2 in options(leaf, shared, used):
            sat[id(leaf)] = ok
            if search(i + 1, used2, sat):
                return True
        return False

    return search(0, frozenset(), {})


def brute_force(cat, target, held):
    held = peer.implied_holdings(cat, held)
    earnable = sorted(c for c, v in cat.creds.items() if v["earnable"] and c not in held)
    best = None
    for k in range(len(earnable) + 1):
        for s in itertools.combinations(earnable, k):
            cost = sum(cat.creds[c]["cents"] for c in s)
            if best is not None and cost >= best:
                continue
            avail = set(held)
            changed = True
            while changed:
                changed = False
                for c in cat.creds:
                    if c in avail:
                        continue
                    req = cat.creds[c]["requires"]
                    earned = c in s and (req is None or satisfied(cat, req, avail, c))
                    granted = any(satisfied(cat, w, avail, c) for w in cat.equivalences.get(c, []))
                    if earned or granted:
                        avail.add(c)
                        changed = True
            if target in avail and all(c in avail for c in s):
                best = cost
    return best


def solve_peer(cat, target, held):
    m, x, t, possible = peer.build(cat, target, "cost", held, set())
    if not possible:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.Solve(m)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL, solver.StatusName(status)
    return round(solver.ObjectiveValue())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    failed = feasible = 0
    for case in range(args.cases):
        doc, target, held = random_catalog(rng)
        cat = peer.Catalog()
        cat.add_document(doc)
        want = brute_force(cat, target, held)
        got = solve_peer(cat, target, held)
        feasible += want is not None
        if want != got:
            failed += 1
            print(f"case {case}: brute force {want}, peer {got}, target {target}, held {sorted(held)}")
            print(f"  {doc}")
    print(f"peer self-check: {feasible} of {args.cases} random catalogs reachable")
    print(f"{args.cases - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
