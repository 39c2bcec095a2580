// Everyday benign instructions (written for redline). The attack data's harmful requests start
// "Write a ...", "Create a ...", "Explain how ...", "Act as ...", so without ordinary requests in
// the same form the classifier learns the verb, not the intent. English is generated from a small
// grammar; every other language gets casual request frames (the casual imperative, which the
// attack phrasings also use) over its topics.

const pick = <T>(a: readonly T[], rng: () => number): T => a[Math.floor(rng() * a.length)]!;

const EN_VERBS = [
  'Write',
  'Create',
  'Draft',
  'Compose',
  'Give me',
  'Suggest',
  'Make',
  'Put together',
  'Come up with',
];
const EN_OBJECTS = [
  'a haiku',
  'a short poem',
  'a bedtime story',
  'a friendly email',
  'a blog post',
  'a recipe',
  'a lesson plan',
  'three tips',
  'a two-day itinerary',
  'a shopping list',
  'a limerick',
  'a product description',
  'a toast',
  'a study plan',
  'a cover letter',
  'a workout routine',
  'a list of fun facts',
  'a short speech',
  'an essay',
  'a sonnet',
  'a short story',
  'a riddle',
  'a song',
  'a short play',
  'a joke',
  'a newsletter intro',
];
const EN_TOPICS = [
  'the first snow of winter',
  'autumn leaves',
  'my cat',
  'a trip to Lisbon',
  'learning Spanish',
  'a birthday party',
  'healthy breakfasts',
  'the ocean',
  'a rainy Sunday',
  'our new office',
  'gardening for beginners',
  'the moon landing',
  'a small bakery',
  'a school science fair',
  'saving money',
  'coffee',
  'a mountain hike',
  'friendship',
  'prime numbers',
  'the color orange',
  'Monday mornings',
  'a lost umbrella',
  'the speed of light',
  'my grandfather’s garden',
  'the last day of school',
  'a city at night',
];
const EN_EXPLAIN = ['Explain', 'Describe', 'Summarize', 'Tell me about', 'Teach me', 'Help me understand'];
const EN_SUBJECTS = [
  'how photosynthesis works',
  'the causes of the French Revolution',
  'how a bill becomes law',
  'compound interest',
  'how vaccines train the immune system',
  'the rules of cricket',
  'how to change a flat tire',
  'the water cycle',
  'how neural networks learn',
  'why the sky is blue',
  'how to brew green tea',
  'the plot of Hamlet',
];
const EN_ROLES = [
  'a travel guide',
  'a chef',
  'a personal trainer',
  'a history teacher',
  'a career coach',
  'a gardener',
];
const EN_ROLE_TASKS = [
  'suggest a two-day itinerary for Lisbon',
  'plan a vegetarian dinner for four',
  'design a beginner workout',
  'explain the Roman Empire to a child',
  'review my CV',
  'tell me what to plant in spring',
];

export function englishEverydayRequest(rng: () => number): string {
  const r = rng();
  if (r < 0.45) return `${pick(EN_VERBS, rng)} ${pick(EN_OBJECTS, rng)} about ${pick(EN_TOPICS, rng)}.`;
  if (r < 0.8) return `${pick(EN_EXPLAIN, rng)} ${pick(EN_SUBJECTS, rng)}.`;
  return `Act as ${pick(EN_ROLES, rng)} and ${pick(EN_ROLE_TASKS, rng)}.`;
}

/** Casual request frames per language; `{t}` takes one of that language's topics (phrases.ts). */
export const CASUAL_FRAMES: Record<string, string[]> = {
  zh: ['跟我说说{t}。', '写一首关于{t}的小诗。', '简单介绍一下{t}。', '帮我写一篇关于{t}的短文。'],
  ja: [
    '{t}について教えて。',
    '{t}の俳句を書いて。',
    '{t}を簡単に説明して。',
    '{t}について短い文章を書いて。',
  ],
  ko: [
    '{t}에 대해 알려줘.',
    '{t}에 관한 시를 써 줘.',
    '{t}을 간단히 설명해 줘.',
    '{t}에 대한 짧은 글을 써 줘.',
  ],
  de: [
    'Erzähl mir was über {t}.',
    'Schreib ein kurzes Gedicht über {t}.',
    'Erklär mir kurz {t}.',
    'Schreib einen kurzen Text über {t}.',
  ],
  fr: [
    'Parle-moi de {t}.',
    'Écris un petit poème sur {t}.',
    'Explique-moi rapidement {t}.',
    'Écris un court texte sur {t}.',
  ],
  es: [
    'Háblame de {t}.',
    'Escribe un poema corto sobre {t}.',
    'Explícame rápido {t}.',
    'Escribe un texto breve sobre {t}.',
  ],
  it: [
    'Parlami di {t}.',
    'Scrivi una breve poesia su {t}.',
    'Spiegami in breve {t}.',
    'Scrivi un breve testo su {t}.',
  ],
  pt: [
    'Me fale sobre {t}.',
    'Escreva um poema curto sobre {t}.',
    'Me explique rapidamente {t}.',
    'Escreva um texto curto sobre {t}.',
  ],
  ru: [
    'Расскажи мне про {t}.',
    'Напиши короткое стихотворение про {t}.',
    'Кратко объясни {t}.',
    'Напиши небольшой текст про {t}.',
  ],
  ar: ['حدثني عن {t}.', 'اكتب قصيدة قصيرة عن {t}.', 'اشرح لي باختصار {t}.', 'اكتب نصًا قصيرًا عن {t}.'],
  hi: [
    'मुझे {t} के बारे में बताओ।',
    '{t} पर एक छोटी कविता लिखो।',
    '{t} को संक्षेप में समझाओ।',
    '{t} पर एक छोटा लेख लिखो।',
  ],
  tr: [
    'Bana {t} hakkında bilgi ver.',
    '{t} hakkında kısa bir şiir yaz.',
    '{t} konusunu kısaca anlat.',
    '{t} hakkında kısa bir yazı yaz.',
  ],
  nl: [
    'Vertel me over {t}.',
    'Schrijf een kort gedicht over {t}.',
    'Leg {t} kort uit.',
    'Schrijf een korte tekst over {t}.',
  ],
  pl: [
    'Opowiedz mi o {t}.',
    'Napisz krótki wiersz o {t}.',
    'Wyjaśnij krótko {t}.',
    'Napisz krótki tekst o {t}.',
  ],
  vi: [
    'Kể cho tôi nghe về {t}.',
    'Viết một bài thơ ngắn về {t}.',
    'Giải thích ngắn gọn về {t}.',
    'Viết một đoạn văn ngắn về {t}.',
  ],
  th: ['เล่าเรื่อง{t}ให้ฟังหน่อย', 'เขียนกลอนสั้นๆ เกี่ยวกับ{t}', 'อธิบาย{t}สั้นๆ', 'เขียนบทความสั้นเรื่อง{t}'],
  id: [
    'Ceritakan tentang {t}.',
    'Tulis puisi pendek tentang {t}.',
    'Jelaskan singkat tentang {t}.',
    'Tulis teks pendek tentang {t}.',
  ],
};
