#pragma once

#include <QtCore/qhashfunctions.h>

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace iotc {

// The object type of PayloadJson: members kept in the order they were sent (so issues come out in
// payload order), like nlohmann::ordered_map, but looked up through a hash index once an object
// has more than a few members. nlohmann::ordered_map searches linearly, and the parser looks up
// every key it inserts (to merge duplicates), so a 200,000-member payload took minutes to read.
//
// Behaves exactly like nlohmann::ordered_map: a repeated key keeps the position of its first
// occurrence (the parser then stores the last value there); find() returns the first match.
// Invariant: below IndexFrom members the index is empty, from IndexFrom on it holds every key.
template <class Key, class T, class IgnoredLess = std::less<Key>,
    class Allocator = std::allocator<std::pair<const Key, T>>>
struct HashedOrderedMap : std::vector<std::pair<const Key, T>, Allocator> {
    static_assert(std::is_convertible_v<const Key&, std::string_view>, "keys are strings");

    using key_type = Key;
    using mapped_type = T;
    using Container = std::vector<std::pair<const Key, T>, Allocator>;
    using iterator = typename Container::iterator;
    using const_iterator = typename Container::const_iterator;
    using size_type = typename Container::size_type;
    using value_type = typename Container::value_type;
    using key_compare = std::equal_to<>;

    // Small objects (nearly all payloads) stay a plain vector: a short scan beats hashing.
    static constexpr size_type IndexFrom = 32;

    // The index's hash. Keyed with Qt's per-process random seed (SipHash/AES hash): with a fixed,
    // public function such as std::hash (Murmur, constant seed) a payload could be built from keys
    // that all collide, and every lookup in the index would become a linear scan again.
    struct KeyHash {
        using is_transparent = void;
        size_t seed = QHashSeed::globalSeed();
        size_t operator()(std::string_view s) const noexcept { return qHashBits(s.data(), s.size(), seed); }
    };

    HashedOrderedMap() noexcept(noexcept(Container())) = default;
    explicit HashedOrderedMap(const Allocator& alloc) noexcept(noexcept(Container(alloc)))
        : Container(alloc)
    {
    }
    template <class It>
    HashedOrderedMap(It first, It last, const Allocator& alloc = Allocator())
        : Container(first, last, alloc)
    {
        reindex();
    }
    HashedOrderedMap(std::initializer_list<value_type> init, const Allocator& alloc = Allocator())
        : Container(init, alloc)
    {
        reindex();
    }
    HashedOrderedMap(const HashedOrderedMap&) = default;
    HashedOrderedMap(HashedOrderedMap&&) noexcept = default;
    HashedOrderedMap& operator=(const HashedOrderedMap&) = default;
    HashedOrderedMap& operator=(HashedOrderedMap&&) noexcept = default;

    // (type traits, not <concepts>: Qt 6.4's moc cannot read GCC 12's <concepts>, and ui headers
    // that moc reads include this one)
    template <class K,
        std::enable_if_t<std::is_convertible_v<const K&, std::string_view> && std::is_constructible_v<Key, K&&>,
            int> = 0>
    std::pair<iterator, bool> emplace(K&& key, T&& t)
    {
        if (auto it = find(std::string_view(key)); it != this->end())
            return { it, false };
        Container::emplace_back(std::forward<K>(key), std::forward<T>(t));
        indexLast();
        return { std::prev(this->end()), true };
    }

    T& operator[](const key_type& key) { return emplace(key, T {}).first->second; }
    template <class K,
        std::enable_if_t<std::is_convertible_v<const K&, std::string_view> && std::is_constructible_v<Key, K&&>,
            int> = 0>
    T& operator[](K&& key)
    {
        return emplace(std::forward<K>(key), T {}).first->second;
    }
    const T& operator[](std::string_view key) const { return at(key); }

    T& at(std::string_view key)
    {
        if (auto it = find(key); it != this->end())
            return it->second;
        throw std::out_of_range("key not found");
    }
    const T& at(std::string_view key) const
    {
        if (auto it = find(key); it != this->end())
            return it->second;
        throw std::out_of_range("key not found");
    }

    iterator find(std::string_view key) { return this->begin() + static_cast<std::ptrdiff_t>(position(key)); }
    const_iterator find(std::string_view key) const
    {
        return this->begin() + static_cast<std::ptrdiff_t>(position(key));
    }
    size_type count(std::string_view key) const { return position(key) == this->size() ? 0 : 1; }

    size_type erase(std::string_view key)
    {
        auto it = find(key);
        if (it == this->end())
            return 0;
        erase(it);
        return 1;
    }
    iterator erase(iterator pos) { return erase(pos, std::next(pos)); }
    iterator erase(iterator first, iterator last)
    {
        if (first == last)
            return first;
        const auto affected = std::distance(first, last);
        const auto offset = std::distance(this->begin(), first);
        // Keys are const: the members after the gap are rebuilt in place, as ordered_map does.
        for (auto it = first; std::next(it, affected) != this->end(); ++it) {
            it->~value_type();
            new (&*it) value_type { std::move(*std::next(it, affected)) };
        }
        Container::resize(this->size() - static_cast<size_type>(affected));
        reindex();
        return this->begin() + offset;
    }

    void clear() noexcept
    {
        Container::clear();
        m_index.clear();
    }

    std::pair<iterator, bool> insert(value_type&& value) { return emplace(value.first, std::move(value.second)); }
    std::pair<iterator, bool> insert(const value_type& value)
    {
        if (auto it = find(std::string_view(value.first)); it != this->end())
            return { it, false };
        Container::push_back(value);
        indexLast();
        return { std::prev(this->end()), true };
    }
    template <std::input_iterator InputIt> void insert(InputIt first, InputIt last)
    {
        for (auto it = first; it != last; ++it)
            insert(*it);
    }

    void swap(HashedOrderedMap& other) noexcept
    {
        Container::swap(other);
        m_index.swap(other.m_index);
    }

private:
    // Changing the members behind the index's back would break it.
    using Container::assign;
    using Container::emplace_back;
    using Container::pop_back;
    using Container::push_back;
    using Container::resize;

    // The member's position, or size() when there is none.
    size_type position(std::string_view key) const
    {
        if (this->size() >= IndexFrom) {
            auto it = m_index.find(key);
            return it == m_index.end() ? this->size() : it->second;
        }
        size_type i = 0;
        for (; i < this->size(); ++i) {
            if (std::string_view(Container::operator[](i).first) == key)
                break;
        }
        return i;
    }

    // After a member was appended (it is known to be new).
    void indexLast()
    {
        if (this->size() < IndexFrom)
            return;
        if (this->size() == IndexFrom) {
            reindex();
            return;
        }
        try {
            m_index.emplace(this->back().first, this->size() - 1);
        } catch (...) {
            Container::pop_back(); // keep the invariant: no member without its index entry
            throw;
        }
    }

    void reindex()
    {
        m_index.clear();
        if (this->size() < IndexFrom)
            return;
        m_index.reserve(this->size());
        for (size_type i = 0; i < this->size(); ++i)
            m_index.emplace(
                Container::operator[](i).first, i); // emplace keeps the first of repeated keys, as find() did
    }

    std::unordered_map<Key, size_type, KeyHash, std::equal_to<>> m_index;
};

} // namespace iotc
