package retrieve

import "strings"

// Catalogs often lack declared foreign keys (SQLite files, warehouses,
// BIRD's card_games). Between two chosen tables, implicitJoins finds the
// columns a join would use anyway: the same key-like name on both sides
// (uuid = uuid, GasStationID = GasStationID), or a column spelling the
// other table's singular name plus its key (cards.setCode → sets.code,
// orders.customer_id → customers.id).

// keyLike reports whether an identKey names a key: it ends in id, code,
// key or no, or is the table's primary key.
func keyLike(k string) bool {
	for _, suf := range []string{"id", "code", "key", "no", "number"} {
		if strings.HasSuffix(k, suf) {
			return true
		}
	}
	return false
}

// implicitJoins returns, for chosen tables a and b, the columns of each
// that join them when no foreign key does.
func (ix *Index) implicitJoins(a, b int32) (ca, cb []int32) {
	ta, tb := &ix.tables[a], &ix.tables[b]
	for _, x := range ta.cols {
		kx := ix.cols[x].key
		for _, y := range tb.cols {
			ky := ix.cols[y].key
			switch {
			case kx == ky && (ix.keyCol[x] || ix.isPK(y)):
			case ix.refersTo(kx, b, y), ix.refersTo(ky, a, x):
			default:
				continue
			}
			ca, cb = append(ca, x), append(cb, y)
		}
	}
	return ca, cb
}

// refersTo reports whether a column keyed k names table t's key column
// key: k is t's singular name followed by key's name (setcode → set+code).
func (ix *Index) refersTo(k string, t, key int32) bool {
	if !ix.keyCol[key] {
		return false
	}
	kk := ix.cols[key].key
	if len(k) <= len(kk) || k[len(k)-len(kk):] != kk {
		return false
	}
	head := k[:len(k)-len(kk)]
	for _, n := range ix.tables[t].keys {
		if n != "" && head == n {
			return true
		}
	}
	return false
}

func (ix *Index) isPK(c int32) bool { return ix.pkCol[c] }
