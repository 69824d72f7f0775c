package retrieve

// bridge makes the chosen tables joinable: every table not yet connected to
// the ones before it is joined to them by the shortest foreign-key path (at
// most maxBridgeHop hops), and the tables in between are inserted right
// after it with reason "fk path". Tables with no such path stay as they are:
// the model can still use them alone or in a subquery.
func (ix *Index) bridge(chosen []chosenTable) []chosenTable {
	if len(chosen) < 2 {
		return chosen
	}
	in := map[int32]bool{chosen[0].table: true}
	out := []chosenTable{chosen[0]}
	for _, c := range chosen[1:] {
		if in[c.table] {
			continue
		}
		path := ix.shortestPath(c.table, in, maxBridgeHop)
		in[c.table] = true
		out = append(out, c)
		for _, t := range path {
			if !in[t] {
				in[t] = true
				out = append(out, chosenTable{table: t, score: c.score, reason: "fk path"})
			}
		}
	}
	return out
}

// shortestPath returns the tables strictly between from and the nearest
// table of targets, by breadth-first search over the foreign-key graph, or
// nil when no target is within maxHops hops.
func (ix *Index) shortestPath(from int32, targets map[int32]bool, maxHops int) []int32 {
	prev := map[int32]int32{from: -1}
	frontier := []int32{from}
	for hop := 0; hop < maxHops && len(frontier) > 0; hop++ {
		var next []int32
		for _, t := range frontier {
			for _, n := range ix.adj[t] {
				if _, seen := prev[n]; seen {
					continue
				}
				prev[n] = t
				if targets[n] {
					var path []int32
					for p := t; p != from; p = prev[p] {
						path = append(path, p)
					}
					return path
				}
				next = append(next, n)
			}
		}
		frontier = next
	}
	return nil
}

// junctions adds the link tables of many-to-many relations: a table with
// foreign keys into two chosen tables (attendance between member and
// event) joins them as the question means, even when another path exists.
func (ix *Index) junctions(chosen []chosenTable) []chosenTable {
	in := make(map[int32]bool, len(chosen))
	for _, c := range chosen {
		in[c.table] = true
	}
	n := len(chosen)
	for i := 0; i < n; i++ {
		for _, j := range ix.adj[chosen[i].table] {
			if in[j] {
				continue
			}
			refs := 0
			for _, e := range ix.tables[j].edges {
				if e.other != j && in[e.other] && ix.refCol[e.col] {
					refs++
				}
			}
			if refs >= 2 {
				in[j] = true
				chosen = append(chosen, chosenTable{table: j, score: chosen[i].score, reason: "junction"})
			}
		}
	}
	return chosen
}
