/**
 * Name pools for synthetic parties and places. The operator is French (EUR, 20 % VAT), so names,
 * streets, post codes and phone numbers look French; none of them belong to a real person.
 */

export const GIVEN_NAMES = [
  'Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Julie', 'Emma', 'Louise', 'Alice', 'Claire', 'Nathalie',
  'Lucas', 'Hugo', 'Thomas', 'Nicolas', 'Julien', 'Antoine', 'Maxime', 'Louis', 'Paul', 'Karim', 'Mehdi', 'Yanis',
  'Sophie', 'Isabelle', 'Céline', 'Aurélie', 'Pierre', 'Olivier', 'Vincent', 'Mathieu', 'Romain', 'Fatima', 'Aïcha', 'Jade',
];

export const FAMILY_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
  'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier',
  'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guerin', 'Benali',
];

export const COMPANY_STEMS = [
  'Nordwind', 'Azur', 'Helios', 'Quartz', 'Boréal', 'Altitude', 'Cobalt', 'Vega', 'Orion', 'Lumen', 'Mistral', 'Atlas',
  'Arcadia', 'Sirius', 'Ondine', 'Galilée', 'Pyrène', 'Céleste', 'Ardent', 'Kinetic', 'Nova', 'Vulcain', 'Émeraude', 'Zéphyr',
];

export const COMPANY_TRADES = [
  'Logistique', 'Santé', 'Conseil', 'Industries', 'Transports', 'Énergie', 'Distribution', 'Ingénierie', 'Assurances',
  'Immobilier', 'Médias', 'Robotique', 'Agroalimentaire', 'Pharma', 'Hôtellerie', 'BTP',
];

export const LEGAL_FORMS = ['SAS', 'SA', 'SARL', 'SCOP'];

export const STREETS = [
  'rue de la République', 'avenue Jean Jaurès', 'boulevard Victor Hugo', 'rue Pasteur', 'rue du Général de Gaulle',
  'avenue de la Gare', 'rue des Lilas', 'place de la Mairie', 'rue Émile Zola', 'allée des Tilleuls', 'quai de la Loire',
  'rue Voltaire', 'avenue Foch', 'rue Nationale', 'chemin des Vignes', 'rue Oberkampf',
];

/** A metro region: one aggregation router and backhaul fibre serve everything in it. */
export interface RegionName {
  code: string;
  city: string;
  postCodePrefix: string;
  phonePrefix: string;
}

export const REGION_NAMES: RegionName[] = [
  { code: 'PAR', city: 'Paris', postCodePrefix: '750', phonePrefix: '+331' },
  { code: 'LYS', city: 'Lyon', postCodePrefix: '6900', phonePrefix: '+334' },
  { code: 'MRS', city: 'Marseille', postCodePrefix: '1300', phonePrefix: '+334' },
  { code: 'LIL', city: 'Lille', postCodePrefix: '5900', phonePrefix: '+333' },
  { code: 'TLS', city: 'Toulouse', postCodePrefix: '3100', phonePrefix: '+335' },
  { code: 'BOD', city: 'Bordeaux', postCodePrefix: '3300', phonePrefix: '+335' },
  { code: 'NTE', city: 'Nantes', postCodePrefix: '4400', phonePrefix: '+332' },
  { code: 'SXB', city: 'Strasbourg', postCodePrefix: '6700', phonePrefix: '+333' },
];

/** Lower-case ASCII for email addresses and domains (`Léa Dubois` → `lea.dubois`). */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
