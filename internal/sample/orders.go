package sample

import (
	"math"
	"sort"
	"time"
)

// orders places orders on every day of the window with seasonality, a
// weekly rhythm and slow growth. Older customers order more often.
func (g *generator) orders() {
	start, end := g.orderWindow(), g.today.AddDate(0, 0, -1)
	span := end.Sub(start).Hours() / 24
	for day := start; !day.After(end); day = day.AddDate(0, 0, 1) {
		rate := ordersPerDay * monthFactor[day.Month()] * (1 + 0.25*day.Sub(start).Hours()/24/span)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			rate *= 0.8
		}
		for range g.poisson(rate) {
			g.order(day)
		}
	}
}

// poisson draws from a Poisson distribution (Knuth's method; rates are small).
func (g *generator) poisson(lambda float64) int {
	limit, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= limit {
			return k
		}
		k++
	}
}

func (g *generator) order(day time.Time) {
	custs := g.d.Customers
	eligible := sort.Search(len(custs), func(i int) bool { return custs[i].SignupDate.After(day) })
	if eligible == 0 {
		return
	}
	idx := g.r.IntN(eligible)
	if g.chance(0.7) {
		idx = int(float64(eligible) * math.Pow(g.r.Float64(), 1.6))
	}
	o := Order{ID: int64(len(g.d.Orders) + 1), CustomerID: custs[idx].ID, OrderDate: day, Status: g.status(day)}
	lines := 1 + int(math.Pow(g.r.Float64(), 1.8)*5)
	used := map[int64]bool{}
	for line := 1; line <= lines; line++ {
		p := g.orderableProduct(used)
		used[p.ID] = true
		qty := int64(1)
		if g.chance(0.45) {
			qty += int64(g.r.IntN(4))
		}
		price := p.Price
		if g.chance(0.1) { // a 10 % discount
			price = price * 9 / 10
		}
		o.Total += Cents(qty) * price
		g.d.OrderItems = append(g.d.OrderItems, OrderItem{
			OrderID: o.ID, LineNo: int64(line), ProductID: p.ID, Quantity: qty, UnitPrice: price,
		})
	}
	g.d.Orders = append(g.d.Orders, o)
}

func (g *generator) orderableProduct(used map[int64]bool) Product {
	for {
		p := g.d.Products[g.r.IntN(len(g.d.Products))]
		if used[p.ID] || (!p.Active && !g.chance(0.2)) {
			continue
		}
		return p
	}
}

// status depends on the order's age: recent orders are still on their way.
func (g *generator) status(day time.Time) string {
	age := int(g.today.Sub(day).Hours() / 24)
	u := g.r.Float64()
	switch {
	case age <= 2:
		if u < 0.7 {
			return "pending"
		}
		return "shipped"
	case age <= 10:
		if u < 0.1 {
			return "pending"
		}
		if u < 0.6 {
			return "shipped"
		}
		if u < 0.95 {
			return "delivered"
		}
		return "cancelled"
	}
	switch {
	case u < 0.86:
		return "delivered"
	case u < 0.92:
		return "cancelled"
	case u < 0.97:
		return "returned"
	}
	return "shipped"
}
