package offline

import "strings"

// kw is a grammar word the engine understands.
type kw int

const (
	kwNone kw = iota
	kwCount
	kwDistinct
	kwAvg
	kwSum
	kwMax
	kwMin
	kwMost  // superlative, descending: highest, largest, most
	kwLeast // superlative, ascending: lowest, smallest, fewest
	kwTop   // top N / first N
	kwBottom
	kwOrder // ordered by, sorted by
	kwAsc
	kwDesc
	kwGroup // each, per, for each, by (after an aggregate)
	kwBy
	kwGT
	kwLT
	kwGE
	kwLE
	kwEq
	kwNot
	kwBetween
	kwAnd
	kwOr
	kwBefore
	kwAfter
	kwSince
	kwOlder   // older than: age >
	kwYounger // younger than: age <
	kwOldest
	kwYoungest
	kwNewest // most recent, latest
	kwEarliest
	kwExpensive
	kwCheapest
	kwNamed // named, called
	kwList  // list, show, what are: a projection
	kwWhich
	kwAll // all the information, all details
	kwMonth
	kwYear
	kwLastMonth
	kwThisMonth
	kwLastYear
	kwThisYear
	kwQuarter // q1..q4
	kwIn
	kwWithout  // without any, that have no
	kwCommon   // most common, least common
	kwSpend    // spent, paid: a sum of the money of related rows
	kwFullName // first and last name: both name columns
)

// keywordList maps phrases to grammar words. Phrases are matched longest
// first on lower-case surface words (not stems: "orders" is a table, "order
// by" is grammar).
var keywordList = []struct {
	phrase string
	k      kw
}{
	{"how many", kwCount}, {"numbers of", kwCount}, {"the numbers of", kwCount}, {"number of", kwCount}, {"count of", kwCount}, {"count", kwCount},
	{"total number of", kwCount}, {"the number of", kwCount}, {"how much", kwSum},
	{"different", kwDistinct}, {"distinct", kwDistinct}, {"unique", kwDistinct},
	{"average", kwAvg}, {"avg", kwAvg}, {"mean", kwAvg}, {"on average", kwAvg},
	{"total", kwSum}, {"sum of", kwSum}, {"sum", kwSum}, {"combined", kwSum},
	{"maximum", kwMax}, {"max", kwMax}, {"minimum", kwMin}, {"min", kwMin},
	{"highest", kwMost}, {"largest", kwMost}, {"biggest", kwMost}, {"greatest", kwMost}, {"most", kwMost}, {"the most", kwMost},
	{"lowest", kwLeast}, {"smallest", kwLeast}, {"fewest", kwLeast}, {"least", kwLeast}, {"the least", kwLeast},
	{"top", kwTop}, {"first", kwTop}, {"bottom", kwBottom},
	{"order by", kwOrder}, {"ordered by", kwOrder}, {"sorted by", kwOrder}, {"sort by", kwOrder}, {"in order of", kwOrder},
	{"ordered", kwOrder}, {"sorted", kwOrder}, {"order", kwOrder}, {"sort", kwOrder}, {"ranked by", kwOrder},
	{"ascending", kwAsc}, {"in ascending order", kwAsc}, {"increasing", kwAsc}, {"alphabetical", kwAsc}, {"alphabetically", kwAsc},
	{"descending", kwDesc}, {"in descending order", kwDesc}, {"decreasing", kwDesc},
	{"from highest to lowest", kwDesc}, {"from largest to smallest", kwDesc}, {"from the highest to the lowest", kwDesc},
	{"from lowest to highest", kwAsc}, {"from smallest to largest", kwAsc}, {"from the lowest to the highest", kwAsc},
	{"from oldest to youngest", kwDesc}, {"from the oldest to the youngest", kwDesc}, {"from youngest to oldest", kwAsc}, {"from the youngest to the oldest", kwAsc},
	{"for each", kwGroup}, {"for different", kwGroup}, {"for each different", kwGroup}, {"in each", kwGroup}, {"of each", kwGroup}, {"for every", kwGroup}, {"per", kwGroup}, {"each", kwGroup}, {"every", kwGroup}, {"by", kwBy}, {"grouped by", kwGroup},
	{"more than", kwGT}, {"greater than", kwGT}, {"larger than", kwGT}, {"bigger than", kwGT}, {"higher than", kwGT},
	{"over", kwGT}, {"above", kwGT}, {"exceeding", kwGT}, {"exceeds", kwGT},
	{"less than", kwLT}, {"fewer than", kwLT}, {"smaller than", kwLT}, {"lower than", kwLT}, {"below", kwLT}, {"under", kwLT},
	{"at least", kwGE}, {"no less than", kwGE}, {"or more", kwGE}, {"at most", kwLE}, {"no more than", kwLE}, {"or less", kwLE},
	{"equal to", kwEq}, {"equals", kwEq}, {"exactly", kwEq},
	{"not", kwNot}, {"other than", kwNot}, {"is not", kwNot}, {"are not", kwNot},
	{"between", kwBetween}, {"and", kwAnd}, {"or", kwOr},
	{"before", kwBefore}, {"prior to", kwBefore}, {"earlier than", kwBefore}, {"after", kwAfter}, {"later than", kwAfter}, {"since", kwSince},
	{"older than", kwOlder}, {"younger than", kwYounger},
	{"oldest", kwOldest}, {"youngest", kwYoungest},
	{"most recent", kwNewest}, {"latest", kwNewest}, {"newest", kwNewest}, {"most recently", kwNewest}, {"earliest", kwEarliest},
	{"most expensive", kwExpensive}, {"the most expensive", kwExpensive}, {"the least expensive", kwCheapest}, {"the cheapest", kwCheapest}, {"expensive", kwExpensive}, {"cheapest", kwCheapest}, {"least expensive", kwCheapest},
	{"named", kwNamed}, {"called", kwNamed}, {"whose name is", kwNamed}, {"with the name", kwNamed}, {"titled", kwNamed},
	{"list", kwList}, {"show", kwList}, {"display", kwList}, {"give", kwList}, {"find", kwList}, {"return", kwList}, {"get", kwList}, {"tell", kwList},
	{"which", kwWhich}, {"what", kwWhich}, {"who", kwWhich},
	{"all the information", kwAll}, {"all information", kwAll}, {"all details", kwAll}, {"all the details", kwAll}, {"everything", kwAll}, {"all columns", kwAll},
	{"monthly", kwMonth}, {"month", kwMonth}, {"yearly", kwYear}, {"year", kwYear}, {"annual", kwYear},
	{"last month", kwLastMonth}, {"previous month", kwLastMonth}, {"this month", kwThisMonth}, {"current month", kwThisMonth},
	{"last year", kwLastYear}, {"previous year", kwLastYear}, {"this year", kwThisYear}, {"current year", kwThisYear},
	{"q1", kwQuarter}, {"q2", kwQuarter}, {"q3", kwQuarter}, {"q4", kwQuarter},
	{"in", kwIn}, {"during", kwIn},
	{"without", kwWithout}, {"no", kwWithout},
	{"spent", kwSpend}, {"spend", kwSpend}, {"spends", kwSpend}, {"paid", kwSpend},
	{"first and last name", kwFullName}, {"first and last names", kwFullName},
	{"most common", kwCommon}, {"the most common", kwCommon}, {"least common", kwCommon}, {"the least common", kwCommon},
}

// fillers are lower-case surface words that carry no meaning the engine
// must map.
var fillers = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the of is are was were be been being do doe does did there have ha has had
		that this these those with for on at to from me us please their its his her they them it whose whom
		also along together as well respectively either corresponding correspond i we you can could would should
		will shall any some record entry row value values info information detail details data currently
		records entries rows all where listed stored registered recorded present exist existing known available here database table tables
		about ever`) {
		fillers[w] = true
	}
	// Relational verbs say that two things are linked; the engine links
	// them along foreign keys, so the verb itself adds nothing to map.
	for _, w := range strings.Fields(`use used uses using speak speaks spoke spoken speaking teach teaches taught teaching
		own owns owned owning play plays played playing occur occurs occurred happen happens happened
		perform performs performed performing work works worked working enroll enrolls enrolled enrol enrolled
		live lives lived living contain contains contained containing include includes included including
		belong belongs belonged located visit visits visited visiting arranged received receive receives
		given bought buy buys made make makes take takes took taken attend attends attended held hold holds
		host hosts hosted hosting shows showed shown having across place places placed placing
		submit submits submitted issue issues issued`) {
		fillers[w] = true
	}
	for _, k := range keywordList {
		ws := strings.Fields(k.phrase)
		for _, w := range ws {
			keywordWords[w] = true
		}
		keywords[strings.Join(ws, " ")] = k.k
		maxKeyword = max(maxKeyword, len(ws))
	}
}

var (
	keywords = map[string]kw{}
	// keywordWords are the words of the grammar's phrases ("how", "many").
	keywordWords = map[string]bool{}
	maxKeyword   int
)
