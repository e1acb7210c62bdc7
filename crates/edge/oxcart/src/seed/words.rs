//! The vocabulary the seed catalog is made of.

/// Departments, their categories, the nouns products in them are called, a price range in
/// minor units, and which options their variants differ by.
pub struct Leaf {
    pub name: &'static str,
    pub nouns: &'static [&'static str],
    pub price: (i64, i64),
    pub options: Options,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Options {
    SizeColour,
    ShoeSizeColour,
    Colour,
    None,
}

pub const DEPARTMENTS: &[(&str, &[Leaf])] = &[
    (
        "Clothing",
        &[
            Leaf {
                name: "T-Shirts",
                nouns: &["T-Shirt", "Tee", "Crew Neck Tee", "V-Neck Tee"],
                price: (1200, 4500),
                options: Options::SizeColour,
            },
            Leaf {
                name: "Shirts",
                nouns: &["Oxford Shirt", "Flannel Shirt", "Linen Shirt", "Denim Shirt"],
                price: (2500, 8900),
                options: Options::SizeColour,
            },
            Leaf {
                name: "Jeans",
                nouns: &["Slim Jeans", "Straight Jeans", "Relaxed Jeans"],
                price: (3900, 12900),
                options: Options::SizeColour,
            },
            Leaf {
                name: "Jackets",
                nouns: &["Rain Jacket", "Puffer Jacket", "Bomber Jacket", "Field Jacket"],
                price: (5900, 24900),
                options: Options::SizeColour,
            },
            Leaf {
                name: "Sweaters",
                nouns: &["Wool Sweater", "Cardigan", "Hoodie", "Fleece Pullover"],
                price: (3500, 14900),
                options: Options::SizeColour,
            },
        ],
    ),
    (
        "Shoes",
        &[
            Leaf {
                name: "Sneakers",
                nouns: &["Sneaker", "Low-Top Sneaker", "Canvas Sneaker"],
                price: (4500, 15900),
                options: Options::ShoeSizeColour,
            },
            Leaf {
                name: "Boots",
                nouns: &["Chelsea Boot", "Hiking Boot", "Work Boot"],
                price: (7900, 26900),
                options: Options::ShoeSizeColour,
            },
            Leaf {
                name: "Running Shoes",
                nouns: &["Running Shoe", "Trail Runner", "Racing Flat"],
                price: (6900, 19900),
                options: Options::ShoeSizeColour,
            },
            Leaf {
                name: "Sandals",
                nouns: &["Sandal", "Slide", "Flip-Flop"],
                price: (1900, 8900),
                options: Options::ShoeSizeColour,
            },
        ],
    ),
    (
        "Electronics",
        &[
            Leaf {
                name: "Headphones",
                nouns: &["Wireless Headphones", "Earbuds", "Noise-Cancelling Headphones"],
                price: (2900, 39900),
                options: Options::Colour,
            },
            Leaf {
                name: "Speakers",
                nouns: &["Bluetooth Speaker", "Smart Speaker", "Soundbar"],
                price: (3900, 49900),
                options: Options::Colour,
            },
            Leaf {
                name: "Keyboards",
                nouns: &["Mechanical Keyboard", "Wireless Keyboard", "Compact Keyboard"],
                price: (3900, 22900),
                options: Options::Colour,
            },
            Leaf {
                name: "Chargers",
                nouns: &["USB-C Charger", "Power Bank", "Wireless Charger", "Charging Cable"],
                price: (900, 8900),
                options: Options::None,
            },
            Leaf {
                name: "Monitors",
                nouns: &["4K Monitor", "Gaming Monitor", "Portable Monitor"],
                price: (14900, 89900),
                options: Options::None,
            },
        ],
    ),
    (
        "Home & Kitchen",
        &[
            Leaf {
                name: "Cookware",
                nouns: &["Frying Pan", "Dutch Oven", "Saucepan", "Wok"],
                price: (2500, 29900),
                options: Options::None,
            },
            Leaf {
                name: "Knives",
                nouns: &["Chef's Knife", "Paring Knife", "Bread Knife", "Knife Set"],
                price: (1900, 34900),
                options: Options::None,
            },
            Leaf {
                name: "Coffee",
                nouns: &["Coffee Grinder", "Pour-Over Kettle", "French Press", "Espresso Machine"],
                price: (2900, 89900),
                options: Options::Colour,
            },
            Leaf {
                name: "Bedding",
                nouns: &["Duvet Cover", "Pillowcase Set", "Throw Blanket", "Sheet Set"],
                price: (2900, 19900),
                options: Options::Colour,
            },
            Leaf {
                name: "Lighting",
                nouns: &["Desk Lamp", "Floor Lamp", "Pendant Light", "LED Strip"],
                price: (1900, 24900),
                options: Options::Colour,
            },
        ],
    ),
    (
        "Sports & Outdoors",
        &[
            Leaf {
                name: "Camping",
                nouns: &["Tent", "Sleeping Bag", "Camp Stove", "Headlamp"],
                price: (1900, 44900),
                options: Options::None,
            },
            Leaf {
                name: "Cycling",
                nouns: &["Bike Helmet", "Bike Light", "Cycling Jersey", "Water Bottle"],
                price: (900, 19900),
                options: Options::Colour,
            },
            Leaf {
                name: "Fitness",
                nouns: &["Kettlebell", "Resistance Band", "Jump Rope", "Dumbbell Set"],
                price: (900, 29900),
                options: Options::None,
            },
            Leaf {
                name: "Yoga",
                nouns: &["Yoga Mat", "Yoga Block", "Yoga Strap"],
                price: (900, 12900),
                options: Options::Colour,
            },
        ],
    ),
    (
        "Beauty",
        &[
            Leaf {
                name: "Skincare",
                nouns: &["Face Serum", "Moisturiser", "Cleanser", "Sunscreen"],
                price: (900, 8900),
                options: Options::None,
            },
            Leaf {
                name: "Haircare",
                nouns: &["Shampoo", "Conditioner", "Hair Oil", "Hair Dryer"],
                price: (700, 24900),
                options: Options::None,
            },
            Leaf {
                name: "Fragrance",
                nouns: &["Eau de Parfum", "Eau de Toilette", "Scented Candle"],
                price: (1900, 15900),
                options: Options::None,
            },
        ],
    ),
    (
        "Toys & Games",
        &[
            Leaf {
                name: "Board Games",
                nouns: &["Strategy Game", "Party Game", "Card Game"],
                price: (1500, 8900),
                options: Options::None,
            },
            Leaf {
                name: "Puzzles",
                nouns: &["Jigsaw Puzzle", "3D Puzzle", "Puzzle Box"],
                price: (1200, 5900),
                options: Options::None,
            },
            Leaf {
                name: "Building Sets",
                nouns: &["Building Set", "Construction Kit", "Marble Run"],
                price: (1900, 19900),
                options: Options::None,
            },
        ],
    ),
    (
        "Office",
        &[
            Leaf {
                name: "Notebooks",
                nouns: &["Notebook", "Dot Grid Journal", "Planner"],
                price: (500, 4500),
                options: Options::Colour,
            },
            Leaf {
                name: "Pens",
                nouns: &["Fountain Pen", "Gel Pen Set", "Mechanical Pencil"],
                price: (300, 19900),
                options: Options::Colour,
            },
            Leaf {
                name: "Desks",
                nouns: &["Standing Desk", "Desk Organiser", "Monitor Stand"],
                price: (1900, 69900),
                options: Options::None,
            },
        ],
    ),
];

pub const ADJECTIVES: &[&str] = &[
    "Classic",
    "Everyday",
    "Essential",
    "Premium",
    "Lightweight",
    "Heavy-Duty",
    "Compact",
    "Vintage",
    "Modern",
    "Organic",
    "Recycled",
    "Pro",
    "Ultra",
    "Travel",
    "Heritage",
    "Urban",
    "Alpine",
    "Coastal",
    "Studio",
    "Signature",
];

pub const MATERIALS: &[&str] = &[
    "Cotton",
    "Merino",
    "Linen",
    "Leather",
    "Canvas",
    "Bamboo",
    "Stainless Steel",
    "Aluminium",
    "Oak",
    "Ceramic",
    "Recycled Polyester",
    "Cast Iron",
    "Walnut",
    "Nylon",
    "Cork",
];

pub const COLOURS: &[&str] =
    &["Black", "White", "Navy", "Grey", "Olive", "Red", "Blue", "Green", "Sand", "Burgundy", "Mustard", "Teal"];

pub const SIZES: &[&str] = &["XS", "S", "M", "L", "XL", "XXL"];
pub const SHOE_SIZES: &[&str] = &["38", "39", "40", "41", "42", "43", "44", "45"];

pub const BRAND_FIRST: &[&str] = &[
    "North", "Iron", "Blue", "Silver", "Oak", "River", "Stone", "Summit", "Harbor", "Maple", "Copper", "Wild", "True",
    "Bright", "Nova", "Pine", "Atlas", "Cedar", "Lumen", "Fable",
];
pub const BRAND_SECOND: &[&str] =
    &["Works", "& Co", "Supply", "Goods", "Labs", "Outfitters", "Studio", "Craft", "House", "Trading"];

pub const PRAISE: &[&str] = &[
    "Built to last and easy to care for.",
    "Designed in small batches and tested for everyday use.",
    "A customer favourite for its comfort and finish.",
    "Thoughtfully made with attention to every detail.",
    "Light enough to take anywhere, tough enough for anything.",
    "Pairs well with the rest of the collection.",
];

pub const REVIEW_TITLES: [&[&str]; 5] = [
    &["Disappointed", "Not as described", "Broke quickly"],
    &["Could be better", "Meh", "Not great"],
    &["Decent", "Okay for the price", "Does the job"],
    &["Very good", "Happy with it", "Solid choice"],
    &["Love it", "Excellent", "Best purchase this year", "Exactly what I wanted"],
];
