package sample

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sizes of the generated sample.
const (
	numCustomers = 500
	numProducts  = 100
	numEmployees = 300
	numProjects  = 40
	// ordersPerDay is the base daily order rate before seasonality and growth.
	ordersPerDay = 6.8
)

// monthFactor gives the shop its seasons: a quiet start of the year and a
// busy November and December.
var monthFactor = [13]float64{0, 0.8, 0.8, 0.95, 1.0, 1.0, 0.95, 0.9, 0.85, 1.05, 1.1, 1.35, 1.5}

type generator struct {
	r     *rand.Rand
	today time.Time
	d     *Data
}

// Generate builds the sample data for opts. Equal options give equal data.
func Generate(opts Options) *Data {
	g := &generator{
		r:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x61736b6462)), // "askdb"
		today: dateOf(opts.Today),
	}
	g.d = &Data{Today: g.today}
	g.customers()
	g.products()
	g.orders()
	g.departments()
	g.employees()
	g.projects()
	g.timesheets()
	return g.d
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// between returns a uniformly random day in [from, to].
func (g *generator) between(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours()/24 + 0.5)
	if days <= 0 {
		return from
	}
	return from.AddDate(0, 0, g.r.IntN(days+1))
}

func (g *generator) country() country {
	total := 0
	for _, c := range countries {
		total += c.weight
	}
	n := g.r.IntN(total)
	for _, c := range countries {
		if n < c.weight {
			return c
		}
		n -= c.weight
	}
	return countries[0]
}

// orderWindow is the first day of the month 24 months before today's month.
func (g *generator) orderWindow() time.Time {
	return time.Date(g.today.Year(), g.today.Month()-24, 1, 0, 0, 0, 0, time.UTC)
}

func (g *generator) customers() {
	start := g.orderWindow()
	emails := map[string]bool{}
	signups := make([]time.Time, numCustomers)
	for i := range signups {
		if i < numCustomers*64/100 {
			signups[i] = g.between(start.AddDate(-3, 0, 0), start)
		} else {
			signups[i] = g.between(start, g.today.AddDate(0, 0, -1))
		}
	}
	sort.Slice(signups, func(a, b int) bool { return signups[a].Before(signups[b]) })
	for i := range numCustomers {
		c := g.country()
		segment := "Consumer"
		switch u := g.r.Float64(); {
		case u < 0.15:
			segment = "Corporate"
		case u < 0.40:
			segment = "Small Business"
		}
		name, local := g.personName(c)
		if segment != "Consumer" {
			name, local = g.companyName(c)
		}
		switch i { // fixed names so that tests and demos can rely on them
		case 0:
			c, name, local, segment = countries[0], "Zoë Müller", "zoe.mueller", "Consumer"
		case 1:
			c, name, local, segment = countries[4], "José García", "jose.garcia", "Consumer"
		case 2:
			c, name, local, segment = countries[7], "北京贸易", "", "Corporate"
		}
		id := int64(i + 1)
		cust := Customer{ID: id, Name: name, Country: c.name, Segment: segment, SignupDate: signups[i]}
		cust.Email = uniqueEmail(emails, local, id, c.tld)
		if i < 3 || !g.chance(0.07) {
			city := g.pick(c.cities)
			cust.City = &city
		}
		g.d.Customers = append(g.d.Customers, cust)
	}
}

func (g *generator) personName(c country) (name, local string) {
	first, last := g.pick(c.first), g.pick(c.last)
	if c.name == "China" {
		return last + first, ""
	}
	return first + " " + last, asciiLocal(first) + "." + asciiLocal(last)
}

func (g *generator) companyName(c country) (name, local string) {
	prefixes := companyPrefixes[c.name]
	if len(prefixes) == 0 || g.chance(0.4) {
		prefixes = genericPrefixes
	}
	suffixes := companySuffixes[c.name]
	if len(suffixes) == 0 {
		suffixes = genericSuffixes
	}
	prefix, suffix := g.pick(prefixes), g.pick(suffixes)
	name = strings.TrimSpace(prefix + " " + suffix)
	if c.name == "China" {
		name = prefix + suffix
	}
	return name, "info." + asciiLocal(prefix)
}

var fold = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"á", "a", "à", "a", "â", "a", "ã", "a", "í", "i", "ì", "i", "ó", "o", "ò", "o", "ô", "o", "ú", "u",
	"ñ", "n", "ç", "c", "ō", "o", "Ō", "o", "Á", "a", "É", "e", "Ä", "ae", "Ö", "oe", "Ü", "ue", "Ç", "c", "'", "")

// asciiLocal turns a name into the local part of an e-mail address.
func asciiLocal(s string) string {
	s = fold.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.':
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func uniqueEmail(seen map[string]bool, local string, id int64, tld string) string {
	if local == "" || strings.HasSuffix(local, ".") || strings.HasPrefix(local, ".") {
		local = "customer"
	}
	email := local + "@example." + tld
	for n := id; seen[email]; n += numCustomers {
		email = local + itoa(n) + "@example." + tld
	}
	seen[email] = true
	return email
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (g *generator) products() {
	seen := map[string]bool{}
	for i := range numProducts {
		cat := categories[i%len(categories)]
		var name string
		for name == "" || seen[name] {
			name = strings.TrimSpace(g.pick(cat.nouns) + " " + g.pick(productEditions))
		}
		seen[name] = true
		// Prices cluster at the cheap end of the range and end in .99 or .49.
		span := float64(cat.maxPrice - cat.minPrice)
		price := cat.minPrice + int64(span*math.Pow(g.r.Float64(), 2))
		price = price/100*100 + []int64{99, 49, 0}[g.r.IntN(3)]
		g.d.Products = append(g.d.Products, Product{
			ID: int64(i + 1), Name: name, Category: cat.name, Price: Cents(price), Active: !g.chance(0.1),
		})
	}
}
