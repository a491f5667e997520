import type { PaymentMethod } from "../payments/payment-schemas";

// Word lists for realistic-looking seed data. Some names carry accents or apostrophes on
// purpose: downstream code (the users service, CDC, parity checks) has to carry them intact.

export const FIRST_NAMES = [
  "Ada", "Alan", "Amara", "Anna", "Aoife", "Arjun", "Beatriz", "Ben", "Carlos", "Chen", "Chloe", "Daniel",
  "Dmitri", "Elena", "Emma", "Eun-ji", "Fatima", "Felix", "Grace", "Hana", "Hugo", "Ibrahim", "Ines", "Isaac",
  "Jack", "James", "Jana", "Javier", "Joon", "Julia", "Kai", "Kenji", "Lara", "Leila", "Liam", "Lucas", "Maya",
  "Mei", "Mia", "Mohammed", "Nadia", "Noah", "Nora", "Oliver", "Olivia", "Omar", "Priya", "Rafael", "Ravi",
  "Renée", "Rosa", "Sara", "Sebastian", "Sofia", "Stefan", "Tariq", "Thomas", "Tomás", "Uma", "Victor",
  "Wei", "Yara", "Yusuf", "Zoe", "Zoltán",
] as const;

export const MIDDLE_NAMES = ["Anne", "Grace", "James", "Jean", "Lee", "Louise", "Marie", "May", "Rose", "Ray"] as const;

export const LAST_NAMES = [
  "Abara", "Andersson", "Bauer", "Becker", "Bianchi", "Brown", "Castillo", "Chen", "Costa", "Dubois", "Dvořák",
  "Evans", "Fernández", "Fischer", "Garcia", "Gonzalez", "Haddad", "Hansen", "Hernandez", "Ito", "Jansen",
  "Johnson", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez", "Martin", "Meyer", "Müller", "Nakamura",
  "Nguyen", "Novak", "O'Brien", "O'Connor", "Okafor", "Patel", "Perez", "Petrov", "Popescu", "Rossi", "Santos",
  "Schmidt", "Silva", "Singh", "Smith", "Suzuki", "Tanaka", "Taylor", "Thompson", "Van der Berg", "Wagner",
  "Walker", "Wang", "Williams", "Wilson", "Yamamoto", "Yilmaz", "Zhang",
] as const;

export const EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "shop.example"] as const;

export const PHONE_PREFIXES = ["+1 555", "+44 20 7946", "+49 30 9018", "+33 1 7091", "+61 2 5550"] as const;

/** Product categories: SKU prefix, nouns, styles or materials that suit them, and a price range in cents. */
export const PRODUCT_CATEGORIES = [
  {
    prefix: "KIT",
    label: "kitchen",
    nouns: ["Knife", "Frying Pan", "Kettle", "Whisk", "Cutting Board", "Teapot"],
    materials: ["Steel", "Cast Iron", "Ceramic", "Bamboo"],
    cents: [599, 12999],
  },
  {
    prefix: "OFF",
    label: "office",
    nouns: ["Notebook", "Desk Lamp", "Pen Holder", "Desk Chair", "Monitor Stand"],
    materials: ["Oak", "Aluminium", "Recycled Paper", "Walnut"],
    cents: [199, 24999],
  },
  {
    prefix: "OUT",
    label: "outdoor",
    nouns: ["Tent", "Backpack", "Rain Jacket", "Sleeping Bag", "Camp Stool"],
    materials: ["Nylon", "Canvas", "Ripstop", "Merino"],
    cents: [999, 39999],
  },
  {
    prefix: "ELE",
    label: "electronics",
    nouns: ["Headphones", "Charger", "Keyboard", "Mouse", "Speaker", "Webcam"],
    materials: ["Wireless", "USB-C", "Bluetooth", "Noise-Cancelling"],
    cents: [1499, 49999],
  },
  {
    prefix: "HOM",
    label: "home",
    nouns: ["Blanket", "Candle", "Vase", "Mirror", "Rug", "Cushion"],
    materials: ["Handmade", "Minimalist", "Nordic", "Boho"],
    cents: [499, 19999],
  },
] as const;

export const PRODUCT_ADJECTIVES = [
  "Classic", "Compact", "Deluxe", "Eco", "Ergonomic", "Everyday", "Heavy-Duty", "Lightweight", "Modern",
  "Portable", "Premium", "Rustic", "Smart", "Travel", "Vintage",
] as const;

export const CARRIERS = ["DHL", "UPS", "FedEx", "Royal Mail", "PostNL", "La Poste"] as const;

/** Cards dominate, as in real shops. */
export const WEIGHTED_PAYMENT_METHODS = ["card", "card", "card", "paypal", "bank_transfer"] as const satisfies readonly PaymentMethod[];
