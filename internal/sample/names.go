package sample

// Name pools. Countries are listed with a weight so that a few dominate,
// as in a real customer base.
type country struct {
	name   string
	weight int
	cities []string
	first  []string
	last   []string
	tld    string
}

var countries = []country{
	{"Germany", 26, []string{"Berlin", "München", "Hamburg", "Köln", "Frankfurt", "Düsseldorf", "Leipzig"},
		[]string{"Lukas", "Anna", "Jürgen", "Sören", "Zoë", "Katrin", "Felix", "Lena", "Maximilian", "Jörg"},
		[]string{"Müller", "Schröder", "Weiß", "Groß", "Schmidt", "Becker", "Hoffmann", "Köhler", "Wagner"}, "de"},
	{"USA", 20, []string{"New York", "Chicago", "Austin", "Seattle", "Boston", "Denver", "San Diego"},
		[]string{"James", "Mary", "Robert", "Jennifer", "Michael", "Linda", "David", "Emily", "Chris"},
		[]string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "O'Brien", "Taylor"}, "com"},
	{"France", 12, []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille"},
		[]string{"Chloé", "Léa", "Hélène", "François", "Amélie", "Théo", "Benoît", "Camille"},
		[]string{"Dubois", "Lefèvre", "Moreau", "Girard", "Bonnet", "Rousseau", "Fournier"}, "fr"},
	{"UK", 10, []string{"London", "Manchester", "Leeds", "Bristol", "Edinburgh", "Glasgow"},
		[]string{"Oliver", "Amelia", "Harry", "Isla", "George", "Sophie", "Jack", "Emma"},
		[]string{"Clarke", "Evans", "Walker", "Wright", "Robinson", "Hughes", "Wood"}, "co.uk"},
	{"Spain", 7, []string{"Madrid", "Barcelona", "Valencia", "Sevilla", "Málaga"},
		[]string{"José", "María", "Lucía", "Álvaro", "Sofía", "Jesús", "Pilar"},
		[]string{"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez"}, "es"},
	{"Italy", 6, []string{"Roma", "Milano", "Napoli", "Torino", "Bologna"},
		[]string{"Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Niccolò"},
		[]string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano"}, "it"},
	{"Netherlands", 5, []string{"Amsterdam", "Rotterdam", "Utrecht", "Den Haag"},
		[]string{"Daan", "Sanne", "Bram", "Fleur", "Sem", "Noor"},
		[]string{"de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser"}, "nl"},
	{"China", 5, []string{"北京", "上海", "深圳", "广州"},
		[]string{"伟", "芳", "娜", "敏", "静"},
		[]string{"王", "李", "张", "刘", "陈"}, "cn"},
	{"Japan", 4, []string{"東京", "大阪", "Kyoto", "Yokohama"},
		[]string{"Yuki", "Haruto", "Sakura", "Ren", "Aoi"},
		[]string{"Satō", "Suzuki", "Takahashi", "Tanaka", "Itō"}, "jp"},
	{"Canada", 3, []string{"Toronto", "Montréal", "Vancouver", "Calgary"},
		[]string{"Liam", "Olivia", "Noah", "Charlotte", "Étienne"},
		[]string{"Tremblay", "Roy", "Gagnon", "MacDonald", "Côté"}, "ca"},
	{"Brazil", 2, []string{"São Paulo", "Rio de Janeiro", "Curitiba"},
		[]string{"João", "Ana", "Luíza", "Gabriel", "Mariana"},
		[]string{"Silva", "Santos", "Oliveira", "Souza", "Conceição"}, "br"},
}

var companyPrefixes = map[string][]string{
	"Germany": {"Müller", "Nordlicht", "Schwarzwald", "Rhein", "Alpen"},
	"China":   {"北京贸易", "上海科技", "深圳电子", "广州物流"},
	"Japan":   {"Sakura", "Fuji", "東京精密"},
	"France":  {"Lumière", "Côte", "Bel Air"},
	"Spain":   {"Ibérica", "Sol", "Andalucía"},
}

var genericPrefixes = []string{"Acme", "Northwind", "Blue Harbor", "Summit", "Greenfield", "Pioneer", "Atlas", "Cobalt", "Redwood", "Vertex"}

var companySuffixes = map[string][]string{
	"Germany": {"GmbH", "AG", "KG"},
	"France":  {"SARL", "SA"},
	"Spain":   {"S.L.", "S.A."},
	"Italy":   {"S.r.l.", "S.p.A."},
	"UK":      {"Ltd", "plc"},
	"China":   {"有限公司", ""},
	"Japan":   {"株式会社", "K.K."},
}

var genericSuffixes = []string{"Inc.", "LLC", "Group", "Trading", "Solutions", "Partners"}

type category struct {
	name     string
	minPrice int64 // cents
	maxPrice int64
	nouns    []string
}

var categories = []category{
	{"Electronics", 1499, 149999, []string{"Wireless Mouse", "USB-C Hub", "Noise-Cancelling Headphones", "4K Monitor", "Mechanical Keyboard", "Webcam", "Portable SSD", "Smart Speaker"}},
	{"Office Supplies", 199, 4999, []string{"Notebook", "Gel Pen Set", "Stapler", "Desk Organizer", "Sticky Notes", "Paper Shredder", "Whiteboard"}},
	{"Furniture", 4999, 89999, []string{"Ergonomic Chair", "Standing Desk", "Bookshelf", "Filing Cabinet", "Monitor Arm", "Footrest"}},
	{"Books", 799, 5999, []string{"SQL Cookbook", "Data Atlas", "Go in Practice", "Statistics Primer", "Design Handbook", "Café Stories"}},
	{"Kitchen", 999, 39999, []string{"Café Espresso Maker", "Crème Brûlée Torch", "Chef Knife", "Kettle", "Blender", "Coffee Grinder"}},
	{"Sports", 999, 59999, []string{"Yoga Mat", "Running Shoes", "Dumbbell Set", "Bike Helmet", "Tennis Racket", "Water Bottle"}},
	{"Toys", 499, 14999, []string{"Puzzle", "Building Blocks", "Board Game", "Plush Bear", "Kite", "Model Train"}},
	{"Garden", 799, 49999, []string{"Garden Hose", "Pruning Shears", "Planter", "Lawn Mower", "Bird House", "Solar Lamp"}},
}

var productEditions = []string{"", "Pro", "Lite", "Plus", "Mini", "XL", "2", "Classic", "Eco"}

type dept struct {
	name     string
	location string
	budget   int64 // EUR
	weight   int
	titles   []string
}

var departments = []dept{
	{"Executive", "Berlin", 2_500_000, 2, []string{"Executive Assistant", "Chief of Staff"}},
	{"Engineering", "München", 9_800_000, 25, []string{"Software Engineer", "Senior Software Engineer", "Staff Engineer", "QA Engineer", "DevOps Engineer"}},
	{"Sales", "New York", 4_200_000, 18, []string{"Account Executive", "Sales Representative", "Key Account Manager"}},
	{"Marketing", "Paris", 2_900_000, 8, []string{"Marketing Manager", "Content Writer", "SEO Specialist"}},
	{"Finance", "London", 1_800_000, 7, []string{"Accountant", "Financial Analyst", "Controller"}},
	{"Human Resources", "Berlin", 1_200_000, 5, []string{"HR Generalist", "Recruiter", "Payroll Specialist"}},
	{"Research", "Zürich", 6_400_000, 15, []string{"Research Scientist", "Senior Research Scientist", "Lab Technician", "Data Scientist"}},
	{"Operations", "Rotterdam", 3_300_000, 10, []string{"Logistics Coordinator", "Operations Analyst", "Warehouse Supervisor"}},
	{"Customer Support", "Barcelona", 1_600_000, 10, []string{"Support Agent", "Senior Support Agent", "Support Team Lead"}},
}

var projectTopics = []string{"Quantum Sensing", "Battery Recycling", "Demand Forecasting", "Natural Language Search",
	"Supply Chain Resilience", "Low-Carbon Packaging", "Edge Computing", "Customer Churn Modelling",
	"Computer Vision", "Biodegradable Plastics", "Privacy-Preserving Analytics", "Warehouse Robotics",
	"Energy-Efficient Cooling", "Fraud Detection", "Sustainable Sourcing"}

var projectScopes = []string{"for Logistics", "in Retail", "at Scale", "for Small Businesses", "Pilot",
	"Phase II", "for Europe", "in Manufacturing"}
